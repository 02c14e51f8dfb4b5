/*
 * nosym.c -- a shared object that is not a spiral plugin: it does not
 * export spiral_plugin_entry.
 */
int nosym_answer(void);

int
nosym_answer(void)
{
    return 42;
}
