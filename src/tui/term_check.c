/* term_check.c - is there a terminal curses can drive?  Asked before
 * newterm(), which would otherwise print its own message and exit.  Kept
 * apart because <term.h> defines macros (lines, columns) that clash with
 * ordinary names elsewhere. */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

const char *tui_terminal_problem(void);

const char *tui_terminal_problem(void)
{
	const char *term = getenv("TERM");
	char cup[] = "cup";
	int err = 0;
	const char *s;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return "standard input and output must be a terminal";
	if (!term || !term[0])
		return "TERM is not set";
	if (strcmp(term, "dumb") == 0)
		return "TERM=dumb cannot move the cursor";
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return "TERM names a terminal type this system does not know";
	s = tigetstr(cup);
	s = (s && s != (char *)-1) ? s : NULL;
	del_curterm(cur_term);
	if (!s)
		return "this terminal cannot move the cursor";
	return NULL;
}
