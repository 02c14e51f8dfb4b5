-- Scripts read their limits but cannot raise them (line 2).
require("spiral").limits.memory = 1 << 40
