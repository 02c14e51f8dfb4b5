-- require finds a module in the script roots and caches it within a run.
local greet = require "greet_lib"
local again = require "greet_lib"
assert(greet == again, "require must cache modules within a run")
print(greet.hello("Mulhouse"))
