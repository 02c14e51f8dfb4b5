-- An error object that is not a string (line 2).
error({ code = 42 })
