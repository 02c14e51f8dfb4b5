-- lib/allocation.lua -- a first proposal for sharing donated hours and the
-- fund among the coordination groups, for the city group's quarterly
-- synthesis (`spiral synthesis`).
--
-- It is a proposal the city group discusses and changes, never a decision.
-- For each resource (hours from the time bank, money from the fund), with
-- A the amount available at the end of the quarter:
--
--   1. the groups that share: every group whose kind is not excluded
--      (the city group is) and, when only_with_needs, that has unmet needs
--      (needs routed to it that no offer of the group matched); none: the
--      whole amount stays in reserve;
--   2. floor: each of the n groups first gets min(floor, A / n);
--   3. the rest, A - n x floor, is shared in proportion to unmet needs;
--   4. cap: no group gets more than cap x A; what a capped group would get
--      above its cap goes back to the uncapped groups in proportion to their
--      unmet needs, until no group is above its cap (if every group is
--      capped, the excess stays in reserve);
--   5. each amount is rounded down to a multiple of step; what rounding
--      leaves goes to the reserve.
--
-- Parameters (M.params) are one table; a territory changes any of them
-- with scripts/territories/<name>/allocation.lua (or allocation.lua in its
-- --territory-dir) returning e.g. { floor = { hours = 10 }, cap = 0.5 }.
-- Pure Lua: runs under the standalone lua5.4 as well as inside spiral.

local M = {}

M.params = {
    floor = { hours = 2, money = 50 },      -- per sharing group, before the proportional part
    cap = 0.4,                              -- at most this share of the amount per group
    step = { hours = 0.5, money = 1 },      -- amounts are multiples of this (rounded down)
    exclude_kinds = { city = true },        -- coordination_group.kind that never share
    only_with_needs = true,                 -- groups without unmet needs get nothing
}

-- params(override) -> M.params with the fields of override replacing
-- theirs (tables field by field, one level deep).
function M.with(override)
    local p = {}
    for k, v in pairs(M.params) do
        if type(v) == "table" then
            local c = {}
            for k2, v2 in pairs(v) do c[k2] = v2 end
            p[k] = c
        else
            p[k] = v
        end
    end
    for k, v in pairs(override or {}) do
        if M.params[k] == nil then error("allocation: unknown parameter '" .. tostring(k) .. "'", 2) end
        if type(v) == "table" and type(p[k]) == "table" then
            for k2, v2 in pairs(v) do p[k][k2] = v2 end
        else
            p[k] = v
        end
    end
    return p
end

local function round_down(x, step)
    if not step or step <= 0 then return x end
    -- a small tolerance so that 7.5 / 0.5 does not become 14.999...
    return math.floor(x / step + 1e-9) * step
end

-- share(amount, groups, p, resource) -> { [code] = amount }, reserve
local function share(amount, groups, p, resource)
    local out, n, total = {}, #groups, 0
    for _, g in ipairs(groups) do out[g.code] = 0; total = total + g.weight end
    if n == 0 or amount <= 0 then return out, math.max(amount, 0) end
    local floor = math.min((p.floor or {})[resource] or 0, amount / n)
    for _, g in ipairs(groups) do out[g.code] = floor end
    local rest = amount - n * floor
    local cap = p.cap and p.cap > 0 and p.cap * amount or math.huge
    local open = {}
    for _, g in ipairs(groups) do open[#open + 1] = g end
    -- share rest among open groups by weight; cap, and share the excess again
    while rest > 1e-9 and #open > 0 do
        local w = 0
        for _, g in ipairs(open) do w = w + g.weight end
        if w <= 0 then
            for _, g in ipairs(open) do g.weight = 1 end
            w = #open
        end
        local excess, still = 0, {}
        for _, g in ipairs(open) do
            local v = out[g.code] + rest * g.weight / w
            if v > cap then
                excess = excess + v - cap
                out[g.code] = cap
            else
                out[g.code] = v
                still[#still + 1] = g
            end
        end
        if #still == #open then rest = 0 break end
        rest, open = excess, still
    end
    local given = 0
    for code, v in pairs(out) do
        out[code] = round_down(v, (p.step or {})[resource])
        given = given + out[code]
    end
    return out, amount - given
end

-- allocate(groups, available, params) -> result
--   groups    list of { code, kind, needs, offers, unmet } (counts)
--   available { hours = h, money = euros }
--   params    M.with(territory override), or nil for M.params
-- result = { params = p, resources = { hours = { available, reserve,
--   shares = { [code] = amount } }, money = {...} }, groups = { code... } }
-- (groups: the codes that share, in the order given).
function M.allocate(groups, available, params)
    local p = params or M.params
    local sharing = {}
    for _, g in ipairs(groups) do
        local unmet = tonumber(g.unmet) or 0
        if not (p.exclude_kinds or {})[g.kind] and (unmet > 0 or not p.only_with_needs) then
            sharing[#sharing + 1] = { code = g.code, weight = unmet }
        end
    end
    local res, codes = {}, {}
    for i, g in ipairs(sharing) do codes[i] = g.code end
    for _, r in ipairs({ "hours", "money" }) do
        local a = tonumber((available or {})[r]) or 0
        local copy = {}
        for i, g in ipairs(sharing) do copy[i] = { code = g.code, weight = g.weight } end
        local shares, reserve = share(a, copy, p, r)
        res[r] = { available = a, reserve = reserve, shares = shares }
    end
    return { params = p, resources = res, groups = codes }
end

return M
