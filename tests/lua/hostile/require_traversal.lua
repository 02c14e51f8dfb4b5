-- Module names are words and dots, never paths (line 2).
return require "../../etc/passwd"
