/* concurrency.c - stress tests of the results store with real processes.
 *
 *   concurrency many DIR NPROC NRESP
 *       NPROC processes open DIR/results.db at the same moment (the first
 *       creates it), each records one attempt of NRESP responses and
 *       finishes it.  Then every response must be there, integrity_check
 *       must pass and no process may have failed (a "locked" or "busy"
 *       message counts as a failure of its own kind).
 *
 *   concurrency sigkill DIR ROUNDS
 *       Each round a child records responses in a loop and reports each
 *       committed seq through a pipe; it is killed with SIGKILL at a varying
 *       moment.  The file must then pass integrity_check and hold every
 *       response the child reported, and the attempt must be resumable.
 *
 * Exits 0 when everything holds, 1 otherwise, printing what failed. */
#include "ipr-drill/store.h"

#include <sqlite3.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_LOCKED 3

static const char *const DIGEST =
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

static int failures;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...)
{
	if (ok)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void remove_db(const char *path)
{
	char j[4200];
	unlink(path);
	snprintf(j, sizeof j, "%s-journal", path);
	unlink(j);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A child's failure: tells "locked"/"busy" apart from other errors. */
static int child_fail(const char *what, const char *msg)
{
	fprintf(stderr, "child %ld: %s: %s\n", (long)getpid(), what, msg);
	if (strstr(msg, "locked") || strstr(msg, "busy"))
		return EXIT_LOCKED;
	return 1;
}

static void answer_text(char *buf, size_t len, int proc, int i)
{
	snprintf(buf, len, "answer %d of process %d", i, proc);
}

static int many_child(const char *path, int proc, int nresp, int start_fd, int out_fd)
{
	char c;
	/* Wait for the start signal (EOF) so that all open at once. */
	while (read(start_fd, &c, 1) < 0 && errno == EINTR)
		;
	close(start_fd);

	char err[STORE_ERR_SIZE];
	store *s = NULL;
	if (store_open(path, 0, &s, err, sizeof err) != 0)
		return child_fail("open", err);
	int rc = 0;
	char name[64], uuid[STORE_UUID_SIZE];
	snprintf(name, sizeof name, "Trainee %03d", proc);
	int64_t id = 0;
	if (store_trainee_upsert(s, name, "Workshop", "XX", &id) != 0) {
		rc = child_fail("trainee", store_errmsg(s));
		goto out;
	}
	store_attempt_new a = {id, "stress-pack", "1", DIGEST, "practice", (uint64_t)proc, "load"};
	if (store_attempt_begin(s, &a, uuid) != 0) {
		rc = child_fail("begin", store_errmsg(s));
		goto out;
	}
	for (int i = 1; i <= nresp; i++) {
		char answer[64];
		answer_text(answer, sizeof answer, proc, i);
		store_response r = {.stage = "question",
		                    .question_id = "q",
		                    .item_index = -1,
		                    .answer = answer,
		                    .points = i % 3,
		                    .time_ms = i};
		int64_t seq = 0;
		if (store_response_add(s, uuid, &r, &seq) != 0) {
			rc = child_fail("response", store_errmsg(s));
			goto out;
		}
		if (seq != i) {
			rc = child_fail("response", "unexpected sequence number");
			goto out;
		}
	}
	store_stage_score st[] = {{"questions", nresp, nresp}};
	if (store_attempt_finish(s, uuid, nresp, nresp, st, 1) != 0) {
		rc = child_fail("finish", store_errmsg(s));
		goto out;
	}
	char line[64];
	int n = snprintf(line, sizeof line, "%d %s\n", proc, uuid);
	if (write_all(out_fd, line, (size_t)n) != 0)
		rc = child_fail("pipe", strerror(errno));
out:
	store_close(s);
	close(out_fd);
	return rc;
}

struct verify {
	int proc, seen;
	bool ok;
};

static int verify_response(void *ctx, const store_response *r)
{
	struct verify *v = ctx;
	char want[64];
	v->seen++;
	answer_text(want, sizeof want, v->proc, v->seen);
	if (r->seq != v->seen || strcmp(r->answer, want) != 0 || r->time_ms != v->seen)
		v->ok = false;
	return 0;
}

static int run_many(const char *dir, int nproc, int nresp)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/results.db", dir);
	mkdir(dir, 0777);
	remove_db(path);

	int start[2], out[2];
	if (pipe(start) != 0 || pipe(out) != 0) {
		perror("pipe");
		return 1;
	}
	double t0 = now_s();
	pid_t *pids = calloc((size_t)nproc, sizeof *pids);
	if (!pids)
		return 1;
	for (int p = 0; p < nproc; p++) {
		pids[p] = fork();
		if (pids[p] < 0) {
			perror("fork");
			return 1;
		}
		if (pids[p] == 0) {
			close(start[1]);
			close(out[0]);
			free(pids); /* the parent's; LeakSanitizer watches children too */
			exit(many_child(path, p, nresp, start[0], out[1]));
		}
	}
	close(start[0]);
	close(start[1]); /* everyone starts now */
	close(out[1]);

	char(*uuids)[STORE_UUID_SIZE] = calloc((size_t)nproc, STORE_UUID_SIZE);
	if (!uuids)
		return 1;
	FILE *in = fdopen(out[0], "r");
	int proc;
	char uuid[STORE_UUID_SIZE + 8];
	int reported = 0;
	while (in && fscanf(in, "%d %40s", &proc, uuid) == 2) {
		if (proc >= 0 && proc < nproc && strlen(uuid) == 36) {
			memcpy(uuids[proc], uuid, STORE_UUID_SIZE);
			reported++;
		}
	}
	if (in)
		fclose(in);
	int locked = 0, other = 0;
	for (int p = 0; p < nproc; p++) {
		int status = 0;
		while (waitpid(pids[p], &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_LOCKED)
			locked++;
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			other++;
	}
	double elapsed = now_s() - t0;
	check(locked == 0, "%d processes saw a locked/busy error", locked);
	check(other == 0, "%d processes failed", other);
	check(reported == nproc, "%d of %d processes reported their attempt", reported, nproc);

	char err[STORE_ERR_SIZE];
	store *s = NULL;
	if (store_open(path, 0, &s, err, sizeof err) != 0) {
		check(false, "reopen: %s", err);
		return 1;
	}
	char *report = NULL;
	int ic = store_integrity_check(s, &report);
	check(ic == 0, "integrity_check: %s", ic == 1 ? report : store_errmsg(s));
	free(report);
	long total = 0;
	for (int p = 0; p < nproc; p++) {
		if (!uuids[p][0])
			continue;
		struct verify v = {p, 0, true};
		if (store_responses_of(s, uuids[p], verify_response, &v) != 0)
			check(false, "responses of %s: %s", uuids[p], store_errmsg(s));
		check(v.ok && v.seen == nresp, "process %d: %d of %d responses, %s", p, v.seen,
		      nresp, v.ok ? "in order" : "out of order or wrong");
		total += v.seen;
		store_attempt a;
		if (store_attempt_get(s, uuids[p], &a) == 0) {
			check(a.status == STORE_FINISHED && a.scored && a.score == nresp,
			      "process %d: attempt not finished with its score", p);
			store_attempt_clear(&a);
		} else {
			check(false, "attempt %s: %s", uuids[p], store_errmsg(s));
		}
	}
	store_close(s);
	printf("store concurrency: %d processes x %d responses: %ld found, integrity %s, "
	       "%d locked, %d failed, %.2f s\n",
	       nproc, nresp, total, ic == 0 ? "ok" : "FAILED", locked, other, elapsed);
	check(total == (long)nproc * nresp, "%ld responses found, %ld expected", total,
	      (long)nproc * nresp);
	free(uuids);
	free(pids);
	return failures ? 1 : 0;
}

/* ---- SIGKILL ---- */

struct pause_at {
	long commits, at;
	int fd;
};

/* Runs inside COMMIT, before anything is final: on the chosen commit it
 * tells the parent and waits to be killed there, mid-transaction. */
static int pause_in_commit(void *ctx)
{
	struct pause_at *p = ctx;
	if (++p->commits == p->at) {
		write_all(p->fd, "H 0\n", 4);
		for (;;)
			pause();
	}
	return 0;
}

static void sigkill_child(const char *path, int round, int out_fd, long pause_at)
{
	char err[STORE_ERR_SIZE];
	store *s = NULL;
	if (store_open(path, 0, &s, err, sizeof err) != 0) {
		fprintf(stderr, "child: open: %s\n", err);
		_exit(1);
	}
	char name[64], uuid[STORE_UUID_SIZE], line[64];
	snprintf(name, sizeof name, "Killed %d", round);
	int64_t id = 0;
	store_attempt_new a = {0, "kill-pack", "1", DIGEST, "exam", 7, NULL};
	if (store_trainee_upsert(s, name, NULL, NULL, &id) != 0 ||
	    (a.trainee_id = id, store_attempt_begin(s, &a, uuid)) != 0) {
		fprintf(stderr, "child: %s\n", store_errmsg(s));
		_exit(1);
	}
	int n = snprintf(line, sizeof line, "U %s\n", uuid);
	write_all(out_fd, line, (size_t)n);
	struct pause_at p = {0, pause_at, out_fd};
	if (pause_at > 0) /* a test's hook, not a write through the handle */
		sqlite3_commit_hook(store_handle(s), pause_in_commit, &p);
	for (long i = 1;; i++) {
		char answer[48];
		snprintf(answer, sizeof answer, "kill answer %ld", i);
		store_response r = {.stage = "verdict",
		                    .shipment_id = "SHP",
		                    .item_index = (int64_t)(i % 5),
		                    .answer = answer,
		                    .points = 1,
		                    .time_ms = 5};
		int64_t seq = 0;
		if (store_response_add(s, uuid, &r, &seq) != 0) {
			fprintf(stderr, "child: %s\n", store_errmsg(s));
			_exit(1);
		}
		/* Reported only once committed. */
		n = snprintf(line, sizeof line, "S %lld\n", (long long)seq);
		if (write_all(out_fd, line, (size_t)n) != 0)
			_exit(1);
	}
}

struct seen {
	long count;
	bool ok;
};

static int count_kill_response(void *ctx, const store_response *r)
{
	struct seen *v = ctx;
	v->count++;
	char want[48];
	snprintf(want, sizeof want, "kill answer %lld", (long long)r->seq);
	if (r->seq != v->count || strcmp(r->answer, want) != 0)
		v->ok = false;
	return 0;
}

static int run_sigkill(const char *dir, int rounds)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/results.db", dir);
	mkdir(dir, 0777);
	remove_db(path);
	long total_reported = 0;
	for (int round = 0; round < rounds; round++) {
		int out[2];
		if (pipe(out) != 0) {
			perror("pipe");
			return 1;
		}
		/* Odd rounds: killed inside the COMMIT of response `threshold`.
		 * Even rounds: killed after a varying number of commits plus a
		 * varying delay, wherever the child happens to be. */
		long threshold = 3 + round * 5;
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			close(out[0]);
			sigkill_child(path, round, out[1], round % 2 ? threshold : 0);
		}
		close(out[1]);
		FILE *in = fdopen(out[0], "r");
		char kind, uuid[64] = "";
		long long seq, max_seq = 0;
		bool killed = false, paused = false;
		char word[64];
		while (in && fscanf(in, " %c %63s", &kind, word) == 2) {
			if (kind == 'U') {
				snprintf(uuid, sizeof uuid, "%s", word);
				continue;
			}
			if (kind == 'H') {
				kill(pid, SIGKILL);
				killed = paused = true;
				continue;
			}
			seq = atoll(word);
			if (seq > max_seq)
				max_seq = seq;
			if (!killed && seq >= threshold) {
				struct timespec ts = {0, (long)(round * 411 % 5000) * 1000L};
				nanosleep(&ts, NULL);
				kill(pid, SIGKILL);
				killed = true;
			}
		}
		if (in)
			fclose(in);
		int status = 0;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		      "round %d: child ended otherwise than by SIGKILL", round);
		if (strlen(uuid) != 36) {
			check(false, "round %d: child reported no attempt", round);
			continue;
		}
		total_reported += max_seq;

		char err[STORE_ERR_SIZE];
		store *s = NULL;
		/* A reader cannot roll back a hot journal: it must say so. */
		bool hot = false;
		if (store_open(path, STORE_OPEN_READONLY, &s, err, sizeof err) == 0)
			store_close(s);
		else if (strstr(err, "half-written"))
			hot = true;
		else
			check(false, "round %d: read-only open after SIGKILL: %s", round, err);
		s = NULL;
		if (store_open(path, 0, &s, err, sizeof err) != 0) {
			check(false, "round %d: reopen after SIGKILL: %s", round, err);
			continue;
		}
		char *report = NULL;
		int ic = store_integrity_check(s, &report);
		check(ic == 0, "round %d: integrity_check: %s", round,
		      ic == 1 ? report : store_errmsg(s));
		free(report);
		struct seen v = {0, true};
		check(store_responses_of(s, uuid, count_kill_response, &v) == 0,
		      "round %d: responses: %s", round, store_errmsg(s));
		check(v.ok, "round %d: responses out of order or wrong", round);
		/* The child may have committed one more than it could report. */
		check(v.count >= max_seq && v.count <= max_seq + 1,
		      "round %d: %lld reported committed, %ld in the database", round, max_seq,
		      v.count);
		/* Killed inside COMMIT: that response must not be there at all. */
		check(!paused || (v.count == max_seq && max_seq == threshold - 1),
		      "round %d: killed inside commit %ld, yet %ld responses stored", round,
		      threshold, v.count);
		check(paused == (round % 2 == 1), "round %d: the child did not pause in COMMIT",
		      round);
		/* And the attempt can be resumed where it stopped. */
		int64_t id = 0;
		bool found = false;
		char name[64];
		snprintf(name, sizeof name, "Killed %d", round);
		store_attempt_list list = {0};
		if (store_trainee_find(s, name, &id, &found) == 0 && found &&
		    store_attempt_list_resumable(s, id, &list) == 0) {
			check(list.count == 1 && strcmp(list.items[0].uuid, uuid) == 0 &&
			              list.items[0].response_count == v.count,
			      "round %d: the attempt is not listed as resumable", round);
			store_attempt_list_free(&list);
			store_response r = {.stage = "action",
			                    .item_index = -1,
			                    .answer = "detain",
			                    .time_ms = 1};
			int64_t next = 0;
			check(store_response_add(s, uuid, &r, &next) == 0 && next == v.count + 1,
			      "round %d: cannot continue the attempt: %s", round, store_errmsg(s));
		} else {
			check(false, "round %d: trainee or attempts not found: %s", round,
			      store_errmsg(s));
		}
		printf("round %d: killed after %lld reported commits; %ld responses stored; "
		       "%s; integrity %s\n",
		       round, max_seq, v.count,
		       paused ? (hot ? "killed inside COMMIT, hot journal rolled back"
		                     : "killed inside COMMIT")
		              : (hot ? "hot journal rolled back" : "journal clean"),
		       ic == 0 ? "ok" : "FAILED");
		store_close(s);
	}
	printf("store sigkill: %d rounds, %ld committed responses reported, %d failures\n", rounds,
	       total_reported, failures);
	return failures ? 1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: concurrency many DIR NPROC NRESP\n"
	                "       concurrency sigkill DIR ROUNDS\n");
	return 2;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && strcmp(argv[1], "many") == 0) {
		int nproc = atoi(argv[3]), nresp = atoi(argv[4]);
		if (nproc < 1 || nproc > 1000 || nresp < 1 || nresp > 100000)
			return usage();
		return run_many(argv[2], nproc, nresp);
	}
	if (argc == 4 && strcmp(argv[1], "sigkill") == 0) {
		int rounds = atoi(argv[3]);
		if (rounds < 1 || rounds > 1000)
			return usage();
		return run_sigkill(argv[2], rounds);
	}
	return usage();
}
