/* The unit tests' counters: check() counts a pass or prints the first 20 failures; a test's
 * main() ends with check_done(name), which prints "name: N passed, N failed" and gives the
 * exit status. Included by one test file each (the definitions are static). */
#ifndef DNN_TESTS_CHECK_H
#define DNN_TESTS_CHECK_H

#include <stdio.h>

static long pass, fail;

static void check(int ok, const char *what)
{
    if (ok) {
        pass++;
        return;
    }
    if (fail < 20)
        printf("FAIL %s\n", what);
    fail++;
}

static int check_done(const char *name)
{
    printf("%s: %ld passed, %ld failed\n", name, pass, fail);
    return fail ? 1 : 0;
}

#endif
