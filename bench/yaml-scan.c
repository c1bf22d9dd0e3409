/* yaml-scan - the baseline for bench/validate-bench.sh: parse every libyaml
 * event of a file, count them and free each, and nothing else.  Whatever
 * `ipr-drill validate` costs beyond this is the loader's and validator's
 * own work.
 *
 * usage: yaml-scan FILE   prints the number of events; exits 0, 65 when
 * the file is not well-formed YAML, 66 when it cannot be opened. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: yaml-scan FILE\n");
		return EX_USAGE;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "yaml-scan: cannot open %s: %s\n", argv[1], strerror(errno));
		return EX_NOINPUT;
	}
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "yaml-scan: out of memory\n");
		fclose(f);
		return EX_OSERR;
	}
	yaml_parser_set_input_file(&parser, f);

	unsigned long long events = 0;
	int status = EX_OK;
	for (;;) {
		yaml_event_t event;
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "yaml-scan: %s:%zu:%zu: %s\n", argv[1],
			        parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			        parser.problem ? parser.problem : "parse error");
			status = EX_DATAERR;
			break;
		}
		events++;
		yaml_event_type_t type = event.type;
		yaml_event_delete(&event);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	fclose(f);
	if (status == EX_OK)
		printf("%llu events\n", events);
	return status;
}
