-- tests/lua/scripts/test_structure.lua -- lib/structure.lua: the taxonomy,
-- the criterion code grammar and roll-up, the coordination groups.
local T = require "harness"
local S = require "lib.structure"

T.case("structure-1 parse splits a full code into its parts", function()
    local p = assert(S.parse("A01-11/P15/k"))
    T.eq(p.object, "A01-11"); T.eq(p.family, "A"); T.eq(p.component, "A01")
    T.eq(p.subobject, "A01-11"); T.eq(p.sense, "P15"); T.eq(p.beneficiary, "k")
end)

T.case("structure-2 parse accepts partial codes and leaves absent parts nil", function()
    local p = assert(S.parse("D02/N3"))
    T.eq(p.family, "D"); T.eq(p.component, "D02"); T.eq(p.subobject, nil)
    T.eq(p.sense, "N3"); T.eq(p.beneficiary, nil)
    p = assert(S.parse("H"))
    T.eq(p.family, "H"); T.eq(p.component, nil); T.eq(p.sense, nil)
end)

T.case("structure-3 parse refuses what the grammar does not allow", function()
    for _, bad in ipairs({ "", "a01", "A1", "A01-1", "A01-11-02", "A01/p15", "A01/P123",
                           "A01/P1/K", "A01/P1/abcd", "A01//k", "A01/P1/", "A01/P1/k/x", "/P1" }) do
        local p, err = S.parse(bad)
        T.eq(p, nil, "parse('" .. bad .. "')")
        T.ok(type(err) == "string" and err:find(bad, 1, true), "message names '" .. bad .. "'")
    end
    local p, err = S.parse(12)
    T.eq(p, nil); T.ok(err:find("string", 1, true), "non-string refused")
end)

T.case("structure-4 rollup gives the prefix at each level", function()
    T.eq(S.rollup("A01-11/P15/k", "family"), "A")
    T.eq(S.rollup("A01-11/P15/k", "component"), "A01")
    T.eq(S.rollup("A01-11/P15/k", "subobject"), "A01-11")
    T.eq(S.rollup("B02/R1", 2), "B02")
    T.eq(S.rollup("B02/R1", 1), "B")
end)

T.case("structure-5 rollup refuses a level the code does not reach", function()
    local v, err = S.rollup("A01/P1", "subobject")
    T.eq(v, nil); T.ok(err:find("sub-object", 1, true), err)
    v, err = S.rollup("A01", "dimension")
    T.eq(v, nil); T.ok(err:find("unknown level", 1, true), err)
end)

T.case("structure-6 count_by rolls counts up and keeps the uncoded apart", function()
    -- 6 codes: A01-11, A01, A03/P1, D02 roll up to A, A, A, D; "" and "x" do not.
    local c = S.count_by({ "A01-11/P15/k", "A01", "A03/P1", "D02", "", "x" }, "family")
    T.eq(c.A, 3); T.eq(c.D, 1); T.eq(c[false], 2)
    c = S.count_by({ "A01-11/P15/k", "A01", "A03/P1", "D02" }, "component")
    T.eq(c.A01, 2); T.eq(c.A03, 1); T.eq(c.D02, 1); T.eq(c[false], 0)
end)

T.case("structure-7 the taxonomy is spiral 2013-8 with A and B confirmed", function()
    T.eq(S.taxonomy.name, "spiral"); T.eq(S.taxonomy.version, "2013-8")
    T.ok(S.check(S.taxonomy))
    local fams = 0
    for _, n in ipairs(S.taxonomy.nodes) do
        if #n.code == 1 then fams = fams + 1 end
        local fam = n.code:sub(1, 1)
        local sub = n.code:find("-", 1, true) ~= nil
        -- A and B components are confirmed; C-H and every sub-object are not.
        T.eq(n.provisional, sub or not (fam == "A" or fam == "B"), n.code .. " provisional")
    end
    T.eq(fams, 8)
    T.list(S.components(), { "A01", "A02", "A03", "A04", "A05", "A06", "A07", "A09", "A11", "B00", "B02",
        "C01", "C02", "D01", "D02", "E01", "E02", "F01", "F02", "F03", "G01", "G02", "H01", "H02" })
    T.eq(S.label("A01-99/P1", "en"), "Food")
    T.eq(S.label("A05", "fr"), "Éducation, formation")
end)

T.case("structure-8 check refuses a node before its parent or twice", function()
    local ok, err = S.check({ nodes = { { code = "A01" }, { code = "A" } } })
    T.eq(ok, nil); T.ok(err:find("before its parent", 1, true), err)
    ok, err = S.check({ nodes = { { code = "A" }, { code = "A" } } })
    T.eq(ok, nil); T.ok(err:find("twice", 1, true), err)
end)

T.case("structure-9 the coordination groups of annex 2", function()
    local kinds = {}
    for _, g in ipairs(S.all_groups({ "Wolf-Wagner", "Drouot-Barbanègre" })) do
        kinds[g.kind] = (kinds[g.kind] or 0) + 1
        T.ok(g.label_fr ~= "" and g.label_en ~= "", g.code .. " labels")
    end
    T.eq(kinds.life_slice, 10); T.eq(kinds.relation, 4); T.eq(kinds.resource, 5)
    T.eq(kinds.neighbourhood, 2); T.eq(kinds.city, 1)
    T.eq(S.neighbourhood_group("Drouot-Barbanègre").code, "quartier-drouot-barbanegre")
    T.eq(S.group("fund").code, "money")
    T.eq(S.group("youth").ref, "vie-2")
    T.eq(S.group("nope"), nil)
end)

T.finish()
