-- Not a test case: a module that lies outside the script roots on purpose;
-- require_outside.lua and the symbolic-link test must never load it.
error("outside_module.lua was loaded from outside the script roots")
