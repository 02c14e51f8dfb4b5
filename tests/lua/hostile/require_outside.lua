-- A module that exists, but outside the script roots (line 2).
return require "outside_module"
