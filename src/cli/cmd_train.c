/* cmd_train.c - `ipr-drill train` and the home screen: connects the pack
 * catalog, the results store, the engine and the TUI.  This file is the
 * only place where the engine's records meet the store. */
#include "cli.h"
#include "ipr-drill/engine.h"
#include "ipr-drill/store.h"
#include "ipr-drill/tui.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

struct train_options {
	const char *pack;    /* path or id; NULL: choose on the home screen */
	const char *trainee; /* --trainee */
	const char *organisation, *country, *group, *db;
	enum engine_mode_choice mode;
	bool seed_given;
	uint64_t seed;
	bool no_color;
};

/* Everything one session holds; freed by session_free(). */
struct session {
	struct train_options opt;
	struct cli_catalog catalog;
	pack *own_pack;        /* a pack file named on the command line */
	const pack *only_pack; /* the pack named on the command line, if any */
	const char *only_path;
	store *db;
	tui *ui;
	int64_t trainee_id;
	/* Data the home screen shows, rebuilt at each sign-in. */
	tui_pack_entry *entries;
	const pack **entry_packs;
	const char **entry_paths;
	size_t entry_count;
	store_attempt_list resumable;
	tui_resumable *resumable_view;
	char attempt[STORE_UUID_SIZE];
	char record_error[STORE_ERR_SIZE];
};

/* ---- the engine's sink: every record straight into the store ---- */

static int store_sink(void *ctx, const engine_record *rec)
{
	struct session *S = ctx;
	size_t n = rec[0].batch_count ? rec[0].batch_count : 1;
	store_response *rs = calloc(n, sizeof(*rs));

	if (!rs) {
		snprintf(S->record_error, sizeof(S->record_error), "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		rs[i] = (store_response){
		        .stage = rec[i].stage,
		        .part = rec[i].part,
		        .shipment_id = rec[i].shipment_id,
		        .item_index = rec[i].item,
		        .question_id = rec[i].question_id,
		        .answer = rec[i].raw,
		        .points = rec[i].points,
		        .time_ms = rec[i].time_ms,
		};
	}
	/* One command's records land together or not at all. */
	int rc = store_responses_add(S->db, S->attempt, rs, n);
	if (rc != 0)
		snprintf(S->record_error, sizeof(S->record_error), "%s", store_errmsg(S->db));
	free(rs);
	return rc;
}

/* The store's reason for the last failed save, for the trainee. */
static const char *record_error_of(void *ctx)
{
	return ((const struct session *)ctx)->record_error;
}

/* Replays one stored response into the engine (resume). */
static int replay_one(void *ctx, const store_response *r)
{
	engine *e = ctx;
	engine_record rec = {
	        .stage = r->stage,
	        .part = r->part,
	        .shipment_id = r->shipment_id,
	        .item = (int)r->item_index,
	        .question_id = r->question_id,
	        .raw = r->answer,
	        .points = r->points,
	        .time_ms = r->time_ms,
	        .batch_count = 1,
	};
	enum engine_status st = engine_replay(e, &rec);
	return st == ENGINE_OK ? 0 : (int)st;
}

/* ---- attempts ---- */

static uint64_t random_seed(void)
{
	uint64_t seed = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &seed, sizeof(seed)) != (ssize_t)sizeof(seed))
			seed = 0;
		close(fd);
	}
	if (!seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	return seed;
}

static const char *mode_text(const pack *p, enum engine_mode_choice m)
{
	if (m == ENGINE_MODE_EXAM)
		return "exam";
	if (m == ENGINE_MODE_PRACTICE)
		return "practice";
	return p->settings.mode == PACK_EXAM ? "exam" : "practice";
}

/* Records the end of the attempt once the engine reached the debrief. */
static int finish_attempt(struct session *S, engine *e)
{
	engine_scores sc;
	store_stage_score stages[ENGINE_PART_COUNT];

	if (engine_stage(e) != ENGINE_STAGE_DEBRIEF)
		return 0;
	engine_scores_get(e, &sc);
	for (int i = 0; i < ENGINE_PART_COUNT; i++) {
		stages[i].stage = engine_part_name((enum engine_part)i);
		stages[i].score = sc.score[i];
		stages[i].max_score = sc.max[i];
	}
	if (store_attempt_finish(S->db, S->attempt, sc.total, sc.total_max, stages,
	                         ENGINE_PART_COUNT) != 0) {
		fprintf(stderr, "ipr-drill: could not record the final score: %s\n",
		        store_errmsg(S->db));
		return EX_IOERR;
	}
	return 0;
}

/* The exit status after a signal stopped the trainer: 128 + its number. */
static int signal_status(void)
{
	return 128 + (tui_last_signal() ? tui_last_signal() : SIGTERM);
}

/* Runs the exercise on e until the trainee leaves; maps the outcome to an
 * exit status. */
static int play(struct session *S, engine *e)
{
	int status = tui_run_exercise(S->ui, e);
	int finished = finish_attempt(S, e);
	const char *msg = tui_errmsg(S->ui);

	if (status == TUI_ERR_SIGNAL || status == TUI_QUIT) {
		tui_close(S->ui);
		S->ui = NULL;
		if (engine_stage(e) != ENGINE_STAGE_DEBRIEF)
			fprintf(stderr, "ipr-drill: your answers are saved; run ipr-drill and "
			                "sign in as the same trainee to resume.\n");
		return status == TUI_ERR_SIGNAL ? signal_status() : (finished ? finished : EX_OK);
	}
	if (status < 0) {
		tui_close(S->ui);
		S->ui = NULL;
		fprintf(stderr, "ipr-drill: %s\n", msg && *msg ? msg : "the trainer failed");
		return EX_SOFTWARE;
	}
	return finished ? finished : EX_OK;
}

static engine *new_engine(struct session *S, const pack *p, uint64_t seed,
                          enum engine_mode_choice mode)
{
	engine_options eo = {
	        .seed = seed,
	        .mode = mode,
	        .sink = store_sink,
	        .sink_ctx = S,
	};
	return engine_new(p, &eo);
}

static int start_attempt(struct session *S, const pack *p, const char *path)
{
	char err[STORE_ERR_SIZE], sha[STORE_SHA256_HEX_SIZE];
	uint64_t seed = S->opt.seed_given ? S->opt.seed : random_seed();
	store_attempt_new a = {
	        .trainee_id = S->trainee_id,
	        .pack_id = p->id.text,
	        .pack_version = p->version.text,
	        .pack_sha256 = sha,
	        .mode = mode_text(p, S->opt.mode),
	        .seed = seed,
	        .group_tag = S->opt.group,
	};

	if (store_sha256_file(path, sha, err, sizeof(err)) != 0) {
		fprintf(stderr, "ipr-drill: %s\n", err);
		return EX_NOINPUT;
	}
	if (store_attempt_begin(S->db, &a, S->attempt) != 0) {
		fprintf(stderr, "ipr-drill: cannot start the attempt: %s\n", store_errmsg(S->db));
		return EX_IOERR;
	}
	engine *e = new_engine(S, p, seed, S->opt.mode);
	if (!e) {
		fprintf(stderr, "ipr-drill: out of memory\n");
		return EX_OSERR;
	}
	int status = play(S, e);
	engine_free(e);
	return status;
}

static int resume_attempt(struct session *S, const store_attempt *a)
{
	const struct cli_pack_entry *found = cli_catalog_find(&S->catalog, a->pack_id);
	struct cli_pack_entry named = {(char *)S->only_path, (pack *)S->only_pack};
	/* The pack named on the command line comes first, as when starting. */
	const struct cli_pack_entry *entry =
	        S->only_pack && !strcmp(S->only_pack->id.text, a->pack_id) ? &named : found;
	char err[STORE_ERR_SIZE], sha[STORE_SHA256_HEX_SIZE];
	enum engine_mode_choice mode =
	        !strcmp(a->mode, "exam") ? ENGINE_MODE_EXAM : ENGINE_MODE_PRACTICE;

	if (!entry) {
		fprintf(stderr, "ipr-drill: the pack '");
		cli_put_safe(stderr, a->pack_id);
		fprintf(stderr, "' of this attempt is no longer on the search path\n");
		return EX_NOINPUT;
	}
	if (store_sha256_file(entry->path, sha, err, sizeof(err)) != 0 ||
	    strcmp(sha, a->pack_sha256) != 0) {
		fprintf(stderr, "ipr-drill: the pack '");
		cli_put_safe(stderr, a->pack_id);
		fprintf(stderr, "' has changed since this attempt began, so it cannot be resumed "
		                "exactly; start it again\n");
		return EX_DATAERR;
	}
	memcpy(S->attempt, a->uuid, STORE_UUID_SIZE);
	engine *e = new_engine(S, entry->pack, a->seed, mode);
	if (!e) {
		fprintf(stderr, "ipr-drill: out of memory\n");
		return EX_OSERR;
	}
	/* Rebuild the state without recording anything a second time. */
	engine_set_sink(e, NULL, NULL);
	int rc = store_responses_of(S->db, a->uuid, replay_one, e);
	engine_set_sink(e, store_sink, S);
	if (rc != 0) {
		fprintf(stderr, "ipr-drill: cannot resume: %s\n",
		        rc < 0 ? store_errmsg(S->db)
		               : engine_status_message((enum engine_status)rc));
		engine_free(e);
		return EX_DATAERR;
	}
	engine_tick(e);
	int status = play(S, e);
	engine_free(e);
	return status;
}

/* ---- the home screen's data ---- */

static void free_home_data(struct session *S)
{
	free(S->entries);
	free(S->entry_packs);
	free(S->entry_paths);
	free(S->resumable_view);
	store_attempt_list_free(&S->resumable);
	S->entries = NULL;
	S->entry_packs = NULL;
	S->entry_paths = NULL;
	S->resumable_view = NULL;
	S->entry_count = 0;
}

static bool add_entry(struct session *S, const pack *p, const char *path)
{
	tui_pack_entry *e = &S->entries[S->entry_count];
	int64_t score, max;
	bool found = false;

	memset(e, 0, sizeof(*e));
	e->id = p->id.text;
	e->title = p->title.text;
	e->language = p->language.text ? p->language.text : "en";
	e->mode = mode_text(p, S->opt.mode);
	e->minutes = p->estimated_minutes.present ? p->estimated_minutes.value : -1;
	e->shipments = p->shipment_count;
	e->questions = p->question_count;
	if (store_best_score(S->db, S->trainee_id, p->id.text, &score, &max, &found) != 0)
		return false;
	e->has_best = found;
	e->best_score = found ? score : 0;
	e->best_max = found ? max : 0;
	S->entry_packs[S->entry_count] = p;
	S->entry_paths[S->entry_count] = path;
	S->entry_count++;
	return true;
}

static int on_signed_in(void *ctx, const char *name, const char *organisation, const char *country,
                        const tui_pack_entry **packs, size_t *pack_count,
                        const tui_resumable **resumable, size_t *resumable_count, char *msg,
                        size_t msg_size)
{
	struct session *S = ctx;
	size_t n = S->only_pack ? 1 : S->catalog.count;

	free_home_data(S);
	if (store_trainee_upsert(S->db, name, organisation, country, &S->trainee_id) != 0 ||
	    store_attempt_list_resumable(S->db, S->trainee_id, &S->resumable) != 0) {
		snprintf(msg, msg_size, "%s", store_errmsg(S->db));
		return -1;
	}
	S->entries = calloc(n + 1, sizeof(*S->entries));
	S->entry_packs = calloc(n + 1, sizeof(*S->entry_packs));
	S->entry_paths = calloc(n + 1, sizeof(*S->entry_paths));
	S->resumable_view = calloc(S->resumable.count + 1, sizeof(*S->resumable_view));
	if (!S->entries || !S->entry_packs || !S->entry_paths || !S->resumable_view) {
		snprintf(msg, msg_size, "out of memory");
		return -1;
	}
	bool ok = true;
	if (S->only_pack)
		ok = add_entry(S, S->only_pack, S->only_path);
	for (size_t i = 0; ok && !S->only_pack && i < S->catalog.count; i++)
		ok = add_entry(S, S->catalog.items[i].pack, S->catalog.items[i].path);
	if (!ok) {
		snprintf(msg, msg_size, "%s", store_errmsg(S->db));
		return -1;
	}
	/* Only attempts whose pack is here can be resumed from this screen. */
	size_t r = 0;
	for (size_t i = 0; i < S->resumable.count; i++) {
		const store_attempt *a = &S->resumable.items[i];
		const struct cli_pack_entry *entry = cli_catalog_find(&S->catalog, a->pack_id);
		if (S->only_pack && strcmp(a->pack_id, S->only_pack->id.text) != 0)
			continue;
		const char *title = S->only_pack ? S->only_pack->title.text
		                    : entry      ? entry->pack->title.text
		                                 : a->pack_id;
		tui_resumable *v = &S->resumable_view[r++];
		v->uuid = a->uuid;
		v->pack_id = a->pack_id;
		v->pack_title = title;
		v->started_at = a->started_at;
		v->last_answered_at = a->last_answered_at ? a->last_answered_at : a->started_at;
		v->responses = a->response_count;
	}
	*packs = S->entries;
	*pack_count = S->entry_count;
	*resumable = S->resumable_view;
	*resumable_count = r;
	return 0;
}

static int run_home(struct session *S)
{
	tui_home_callbacks cb = {.ctx = S, .signed_in = on_signed_in};
	tui_home_result res;
	int status = tui_home(S->ui, S->opt.trainee, &cb, &res);

	if (status == TUI_QUIT)
		return EX_OK;
	if (status == TUI_ERR_SIGNAL)
		return signal_status();
	if (status < 0) {
		fprintf(stderr, "ipr-drill: %s\n", tui_errmsg(S->ui));
		return EX_SOFTWARE;
	}
	if (res.choice == TUI_HOME_RESUME) {
		const char *uuid = S->resumable_view[res.index].uuid;
		for (size_t i = 0; i < S->resumable.count; i++)
			if (!strcmp(S->resumable.items[i].uuid, uuid))
				return resume_attempt(S, &S->resumable.items[i]);
		return EX_SOFTWARE;
	}
	return start_attempt(S, S->entry_packs[res.index], S->entry_paths[res.index]);
}

/* ---- setting up ---- */

static int open_store(struct session *S)
{
	char err[STORE_ERR_SIZE];
	bool is_default = false;
	char *path = store_resolve_path(S->opt.db, &is_default, err, sizeof(err));

	if (!path) {
		fprintf(stderr, "ipr-drill: %s\n", err);
		return EX_CONFIG;
	}
	if (store_open(path, is_default ? STORE_OPEN_PRIVATE_DIRS : 0, &S->db, err, sizeof(err)) !=
	    0) {
		fprintf(stderr, "ipr-drill: %s\n", err);
		free(path);
		return EX_CANTCREAT;
	}
	free(path);
	return EX_OK;
}

/* Finds the pack named on the command line: a file, or an id. */
static int find_pack(struct session *S)
{
	struct stat st;

	if (!S->opt.pack)
		return EX_OK;
	if (stat(S->opt.pack, &st) == 0 && S_ISREG(st.st_mode)) {
		pack_load_options o = cli_load_options();
		pack_diags d;
		pack_diags_init(&d);
		S->own_pack = pack_load_file(S->opt.pack, &o, &d);
		pack_diags_print(&d, stderr, cli_globals.color);
		pack_diags_free(&d);
		if (!S->own_pack) {
			fprintf(stderr, "ipr-drill: the pack has errors; see above\n");
			return EX_DATAERR;
		}
		if (S->own_pack->is_library) {
			fprintf(stderr, "ipr-drill: that file is a brand library, not a pack\n");
			return EX_DATAERR;
		}
		S->only_pack = S->own_pack;
		S->only_path = S->opt.pack;
		return EX_OK;
	}
	const struct cli_pack_entry *e = cli_catalog_find(&S->catalog, S->opt.pack);
	if (!e) {
		fprintf(stderr, "ipr-drill: no pack file or pack id '");
		cli_put_safe(stderr, S->opt.pack);
		fprintf(stderr, "'; run 'ipr-drill packs' for the list\n");
		return EX_NOINPUT;
	}
	S->only_pack = e->pack; /* the catalog keeps ownership */
	S->only_path = e->path;
	return EX_OK;
}

static void session_free(struct session *S)
{
	free_home_data(S);
	tui_close(S->ui);
	store_close(S->db);
	pack_free(S->own_pack);
	cli_catalog_free(&S->catalog);
}

static int parse_options(int argc, char **argv, struct train_options *o, bool *help)
{
	static const struct option options[] = {
	        {"trainee", required_argument, NULL, 't'},
	        {"organisation", required_argument, NULL, 'o'},
	        {"country", required_argument, NULL, 'c'},
	        {"mode", required_argument, NULL, 'm'},
	        {"seed", required_argument, NULL, 's'},
	        {"group", required_argument, NULL, 'g'},
	        {"db", required_argument, NULL, 'd'},
	        {"no-color", no_argument, NULL, 'C'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "t:m:s:g:d:h", options, NULL)) != -1) {
		switch (c) {
		case 't':
			o->trainee = optarg;
			break;
		case 'o':
			o->organisation = optarg;
			break;
		case 'c':
			o->country = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "practice"))
				o->mode = ENGINE_MODE_PRACTICE;
			else if (!strcmp(optarg, "exam"))
				o->mode = ENGINE_MODE_EXAM;
			else
				return cli_usage_error(&cmd_train, "--mode is practice or exam");
			break;
		case 's': {
			char *end;
			errno = 0;
			o->seed = strtoull(optarg, &end, 10);
			if (errno || !*optarg || *end || *optarg == '-')
				return cli_usage_error(&cmd_train, "--seed takes a whole number");
			o->seed_given = true;
			break;
		}
		case 'g':
			o->group = optarg;
			break;
		case 'd':
			o->db = optarg;
			break;
		case 'C':
			o->no_color = true;
			break;
		case 'h':
			*help = true;
			return EX_OK;
		default:
			return cli_usage_error(&cmd_train, "unknown option");
		}
	}
	if (optind < argc)
		o->pack = argv[optind++];
	if (optind < argc)
		return cli_usage_error(&cmd_train, "one pack at a time");
	return EX_OK;
}

int cli_train_run(int argc, char **argv, bool home)
{
	struct session S;
	bool help = false;
	int status;

	memset(&S, 0, sizeof(S));
	S.opt.no_color = cli_globals.no_color;
	status = parse_options(argc, argv, &S.opt, &help);
	if (status != EX_OK || help) {
		if (help)
			cli_print_command_help(&cmd_train, stdout);
		return status;
	}
	if (!home && !S.opt.pack)
		return cli_usage_error(&cmd_train, "name a pack file or pack id (or run ipr-drill "
		                                   "with no command for the home screen)");
	if (!cli_catalog_load(&S.catalog, false)) {
		fprintf(stderr, "ipr-drill: out of memory\n");
		return EX_OSERR;
	}
	if ((status = find_pack(&S)) != EX_OK)
		goto out;
	if ((status = open_store(&S)) != EX_OK)
		goto out;
	tui_options to = {
	        .no_color = S.opt.no_color,
	        .assets_dir = cli_assets_dir(),
	        .save_error = record_error_of,
	        .save_error_ctx = &S,
	};
	if (tui_open(&to, &S.ui) != TUI_OK) {
		fprintf(stderr, "ipr-drill: %s\n", tui_errmsg(S.ui));
		status = EX_UNAVAILABLE;
		goto out;
	}
	status = run_home(&S);
out:
	session_free(&S);
	return status;
}

static int run(int argc, char **argv)
{
	return cli_train_run(argc, argv, false);
}

const struct cli_command cmd_train = {
        .name = "train",
        .summary = "play an exercise pack in the terminal trainer",
        .usage = "ipr-drill train PACK [--trainee NAME] [--mode practice|exam] [--seed N]\n"
                 "                       [--group TAG] [--db FILE]",
        .help = "Starts the trainer on PACK (a pack file, or a pack id from 'ipr-drill packs').\n"
                "You sign in, read the briefing, target shipments, examine what you chose\n"
                "against the brand guide, give verdicts and actions, answer the questions and\n"
                "read the debrief.  Every answer is saved the moment you give it: if the\n"
                "trainer stops, run 'ipr-drill' and sign in with the same name to resume.\n"
                "'ipr-drill' with no command opens the home screen with every pack.\n\n"
                "Options:\n"
                "  -t, --trainee NAME      sign in as NAME (the home screen asks otherwise)\n"
                "      --organisation ORG  and --country CC, stored with the trainee\n"
                "  -m, --mode MODE         practice (feedback after each decision) or exam\n"
                "                          (feedback only in the debrief); default: the pack's\n"
                "  -s, --seed N            the seed for shuffled packs (default: random)\n"
                "  -g, --group TAG         tag the attempt, e.g. a workshop's name\n"
                "  -d, --db FILE           the results database (default: $IPR_DRILL_DB, else\n"
                "                          $XDG_DATA_HOME/ipr-drill/results.db)\n"
                "      --no-color          no colours (also when NO_COLOR is set)\n"
                "  -h, --help              show this help\n\n"
                "In the trainer, press ? on any screen for its keys.\n\n"
                "Exit status: 0 done, 64 usage, 65 bad pack, 66 no such pack, 69 no usable\n"
                "terminal (TERM=dumb, not a terminal), 73 cannot open the database.\n",
        .run = run,
};
