/* engine.h - the trainee's exercise as a state machine, and its scoring.
 *
 * The engine knows nothing of terminals or databases.  A front end creates
 * one engine per attempt over a loaded pack, drives it with commands
 * (engine_flag(), engine_select(), engine_examine(), ...) and draws what it
 * reads back through the read-only state accessors.  Every command returns
 * an enum engine_status; a command that is not ENGINE_OK changed nothing
 * (the one exception, ENGINE_E_TIME_UP, is described at engine_tick()).
 *
 * Stages, in order (a stage with nothing to do is skipped):
 *   BRIEFING     engine_begin() starts the exercise.
 *   TARGETING    flag/unflag risk indicators on any shipment, select and
 *                deselect shipments for examination within the budget
 *                (settings.inspections), engine_confirm() ends targeting.
 *   EXAMINATION  for each selected shipment, in any order: per item, examine
 *                features (reveals what the officer sees), cite/uncite them
 *                as evidence, give a verdict; once every item has a verdict,
 *                choose the shipment's action.  engine_end_examination()
 *                moves on once every examined shipment has its action.
 *   QUESTIONS    engine_answer() once per question, in any order.
 *   DEBRIEF      reached by engine_finish() from any stage, or by the time
 *                limit; nothing changes afterwards.
 *
 * Unexamined shipments: at confirm every shipment that was not selected is
 * released unexamined (implicit `release`), because that is what happens at
 * a border.  Its outcome is scored by targeting alone (target_miss or
 * clear_release); it earns no action points and loses none.  Only examined
 * shipments' chosen actions score.  engine_max_score() follows the same rule.
 *
 * Finishing early: what was answered counts.  Finishing (or running out of
 * time) before confirm settles targeting as if nothing was selected (every
 * shipment released unexamined; flagged indicators count).  Items without a
 * verdict, shipments without an action and unanswered questions score 0;
 * evidence is settled together with the item's verdict, so citations on an
 * item with no verdict score 0.
 *
 * Scoring (pack-format.md, "scoring"; the pack's table already merges the
 * defaults with its overrides):
 *   targeting   per shipment at confirm: examined -> target_hit if it holds
 *               a counterfeit item, else false_alarm; not examined ->
 *               target_miss if it holds one, else clear_release.
 *   indicators  per shipment at confirm: indicator_hit per flagged indicator
 *               in its key, indicator_false per flagged one not in the key.
 *   verdicts    per item: verdict_correct if it matches the key,
 *               verdict_missed_fake for a counterfeit judged genuine,
 *               verdict_false_fake for a genuine item judged counterfeit.
 *   evidence    per item, settled at its verdict: evidence_hit per cited
 *               feature in the key's evidence (only counterfeit items have
 *               evidence), evidence_false per cited feature not in it (on
 *               genuine items too).  The trainee's verdict does not matter.
 *   actions     per examined shipment: action_correct if it matches the key.
 *   questions   question_correct if exactly the correct choices were chosen.
 * Flags, selections and citations are not scored when they are made, so
 * that practice-mode feedback cannot give the key away before the decision.
 *
 * Recording: every accepted command produces one or more engine_record
 * values, delivered in ONE call to the sink as an array (see engine_sink).
 * The sum of every record's points equals the total score.  If the sink
 * fails, the command returns ENGINE_E_RECORD and the state is unchanged.
 * engine_replay() rebuilds an interrupted attempt from its stored records.
 *
 * Time: a monotonic millisecond clock (injectable for tests) measures the
 * time since the previous decision (or since the engine was created or
 * resumed); each command's first record carries it.  The time limit counts
 * active time only: on resume, the replayed records' time_ms are summed and
 * the clock continues from there (time while the program was not running
 * does not count).
 *
 * Determinism: with settings.shuffle the display order of shipments and of
 * each question's choices comes from the seed (splitmix64-seeded
 * xoshiro256**), identical on every platform; otherwise pack order.
 * Commands always take PACK indexes for shipments, items and features;
 * engine_answer() alone takes DISPLAY positions of choices.
 *
 * An engine is not thread-safe; use one per thread.  It borrows the pack,
 * which must outlive it. */
#ifndef IPR_DRILL_ENGINE_H
#define IPR_DRILL_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipr-drill/pack.h"

/* The exercise state; opaque, created by engine_new(). */
typedef struct engine engine;

/* ---- statuses ---- */

enum engine_status {
	ENGINE_OK = 0,
	ENGINE_E_STAGE,            /* the command does not belong to the current stage */
	ENGINE_E_FINISHED,         /* the exercise is over (debrief) */
	ENGINE_E_BUDGET,           /* every examination of the budget is used */
	ENGINE_E_UNKNOWN_ID,       /* no such shipment, item, feature, indicator, action,
	                              question or choice */
	ENGINE_E_ALREADY_ANSWERED, /* verdict/action/answer already given; evidence locked
	                              by the item's verdict */
	ENGINE_E_NO_CHANGE,        /* already flagged/selected/examined/cited, or not so */
	ENGINE_E_NOT_EXAMINED,     /* the shipment was not selected for examination */
	ENGINE_E_NOT_SEEN,         /* a feature must be examined before it is cited */
	ENGINE_E_INCOMPLETE,       /* verdicts before the action; actions before moving on */
	ENGINE_E_INVALID,          /* a malformed argument: no verdict, no or repeated choice */
	ENGINE_E_TIME_UP,          /* the time limit has ended the exercise */
	ENGINE_E_RECORD,           /* the sink failed: the answer was not saved */
	ENGINE_E_NOMEM,            /* out of memory */
	ENGINE_E_BAD_RECORD,       /* engine_replay(): a record that cannot be applied */
	ENGINE_STATUS_COUNT
};

/* A fixed user-facing sentence for a status (static storage, never NULL),
 * e.g. "Every examination is used: deselect a shipment first." */
const char *engine_status_message(enum engine_status status);

/* The same sentence made specific with the engine's state (e.g. "All 3
 * examinations are used: deselect a shipment first."), written to buf
 * (size bytes, always NUL-terminated when size > 0; truncated if short).
 * e may be NULL for the generic text.  Returns buf. */
char *engine_status_text(const engine *e, enum engine_status status, char *buf, size_t size);

/* ---- stages and scoring parts ---- */

enum engine_stage {
	ENGINE_STAGE_BRIEFING,
	ENGINE_STAGE_TARGETING,
	ENGINE_STAGE_EXAMINATION,
	ENGINE_STAGE_QUESTIONS,
	ENGINE_STAGE_DEBRIEF,
	ENGINE_STAGE_COUNT
};

/* "briefing", "targeting", "examination", "questions", "debrief"; "?" when
 * out of range. */
const char *engine_stage_name(enum engine_stage stage);

/* The debrief's breakdown, in display order. */
enum engine_part {
	ENGINE_PART_TARGETING,
	ENGINE_PART_INDICATORS,
	ENGINE_PART_VERDICTS,
	ENGINE_PART_EVIDENCE,
	ENGINE_PART_ACTIONS,
	ENGINE_PART_QUESTIONS,
	ENGINE_PART_COUNT
};

/* "targeting", "indicators", "verdicts", "evidence", "actions",
 * "questions"; "?" when out of range. */
const char *engine_part_name(enum engine_part part);

/* Scores and maxima per part.  total = sum of score[].  total_max is the
 * best whole exercise; max[p] is the most part p alone can reach (within
 * the inspection budget), so no score[p] exceeds max[p], and the max[]
 * may add up to more than total_max when the budget forces a choice
 * between parts. */
typedef struct engine_scores {
	long long score[ENGINE_PART_COUNT];
	long long max[ENGINE_PART_COUNT];
	long long total, total_max;
} engine_scores;

/* ---- pure scoring functions (no engine needed; never fail) ---- */

/* Targeting points for a shipment examined or not (see the table above). */
long long engine_score_targeting(const pack_scoring *sc, const pack_shipment *s, bool examined);

/* Indicator points for the flagged ids (n of them; a repeated id counts
 * once; NULL entries are ignored). */
long long engine_score_indicators(const pack_scoring *sc, const pack_shipment *s,
                                  const char *const *flagged, size_t n);

/* Verdict points; PACK_VERDICT_NONE (no verdict given) scores 0. */
long long engine_score_verdict(const pack_scoring *sc, const pack_item *it, enum pack_verdict v);

/* Evidence points for the cited feature ids (a repeated id counts once). */
long long engine_score_evidence(const pack_scoring *sc, const pack_item *it,
                                const char *const *cited, size_t n);

/* Action points for an examined shipment; NULL (no action) scores 0. */
long long engine_score_action(const pack_scoring *sc, const pack_shipment *s,
                              const char *action_id);

/* Question points; chosen[] has q->choice_count entries in PACK order. */
long long engine_score_question(const pack_scoring *sc, const pack_question *q, const bool *chosen);

/* The best score a trainee can reach on the pack, per part, computed with
 * the functions above: per shipment the better of examining it (perfect
 * verdicts, evidence and action) or not, and, within the inspection budget,
 * the shipments that gain most from examination are examined.  Indicators
 * and questions as if answered perfectly.  Returns out->total_max; fills
 * out->max[] (each part's own best, see engine_scores) and zeroes
 * out->score[] and out->total. */
long long engine_max_score(const pack *p, engine_scores *out);

/* ---- records ---- */

/* One response, as the results store keeps it.  Strings are valid only
 * during the sink call (copy them).  raw is the answer in a stable text
 * form, ids always in PACK terms:
 *   command records (engine_replay() applies them):
 *     "begin"                      briefing -> targeting
 *     "flag:ID" "unflag:ID"        indicator on shipment_id
 *     "select" "deselect"          shipment_id for examination
 *     "confirm"                    end of targeting
 *     "examine:FEATURE"            feature of item on shipment_id
 *     "evidence+:FEATURE" "evidence-:FEATURE"
 *     "verdict:genuine" "verdict:counterfeit"
 *     "action:ID"                  for shipment_id
 *     "done"                       end of examination
 *     "answer:0,2"                 question_id; 0-based PACK choice indexes,
 *                                  ascending
 *     "finish"                     the trainee ended the exercise
 *     "timeout"                    the time limit ended it
 *   settlement records (follow the command that settles them; replay skips
 *   them because their command recomputes them):
 *     "target:examined" "target:released"  one per shipment (part targeting)
 *     "indicators:ID,ID"           per shipment with flags (part indicators)
 *     "evidence:F,F"               per item with citations, after its
 *                                  verdict record (part evidence)
 * points is the change in total score this record accounts for; the sum
 * over all records is the total score. */
typedef struct engine_record {
	const char *stage;       /* engine_stage_name() of the stage the command was given in */
	const char *part;        /* engine_part_name() the points belong to, or NULL */
	const char *shipment_id; /* NULL when none */
	int item;                /* item index in the shipment's contents, -1 when none */
	const char *question_id; /* NULL when none */
	const char *raw;
	long long points;
	int64_t time_ms;    /* ms since the previous decision; 0 on settlement records */
	size_t batch_count; /* records delivered together (same value in each) */
} engine_record;

/* The sink receives ALL records of one command at once: rec[0] ..
 * rec[rec[0].batch_count - 1], so it can store them in one transaction.
 * Returns 0 when they were stored, nonzero otherwise (the command then
 * fails with ENGINE_E_RECORD and changes nothing). */
typedef int (*engine_sink)(void *ctx, const engine_record *rec);

/* True for settlement records ("target:", "indicators:", "evidence:"). */
bool engine_record_is_settlement(const engine_record *rec);

/* ---- creating an engine ---- */

/* A monotonic clock in milliseconds. */
typedef int64_t (*engine_clock)(void *ctx);

enum engine_mode_choice {
	ENGINE_MODE_FROM_PACK = 0, /* settings.mode */
	ENGINE_MODE_PRACTICE,
	ENGINE_MODE_EXAM
};

typedef struct engine_options {
	uint64_t seed;                /* for settings.shuffle */
	enum engine_mode_choice mode; /* practice/exam override (--mode) */
	engine_clock clock;           /* NULL: clock_gettime(CLOCK_MONOTONIC) */
	void *clock_ctx;
	engine_sink sink; /* NULL: records are discarded */
	void *sink_ctx;
} engine_options;

/* Creates an engine at the BRIEFING stage over p (borrowed; must outlive
 * the engine and be a loaded, valid pack).  opts may be NULL (seed 0, the
 * pack's mode, the system clock, no sink).  Returns NULL when memory runs
 * out or p is NULL or a brand library. */
engine *engine_new(const pack *p, const engine_options *opts);

/* Frees the engine; NULL is fine. */
void engine_free(engine *e);

/* Replaces the sink (e.g. after replaying stored records). */
void engine_set_sink(engine *e, engine_sink sink, void *ctx);

/* ---- commands (each returns ENGINE_OK or an error and then changes
 * nothing; every command first applies the time limit, see engine_tick) ---- */

/* BRIEFING -> TARGETING (or QUESTIONS / DEBRIEF when the pack has no
 * shipments / nothing at all).  Fails: E_STAGE, E_FINISHED, E_RECORD,
 * E_NOMEM, E_TIME_UP. */
enum engine_status engine_begin(engine *e);

/* Flags / unflags a risk indicator (built-in or the pack's, by id) on
 * shipment s (pack index).  TARGETING only.  Fails: E_STAGE, E_UNKNOWN_ID,
 * E_NO_CHANGE (already flagged / not flagged), E_RECORD, ... */
enum engine_status engine_flag(engine *e, size_t s, const char *indicator_id);
enum engine_status engine_unflag(engine *e, size_t s, const char *indicator_id);

/* Selects / deselects shipment s for examination.  TARGETING only.
 * Fails: E_BUDGET (all settings.inspections used), E_UNKNOWN_ID,
 * E_NO_CHANGE, E_STAGE, E_RECORD, ... */
enum engine_status engine_select(engine *e, size_t s);
enum engine_status engine_deselect(engine *e, size_t s);

/* Ends targeting: scores targeting and indicators of every shipment
 * (settlement records follow the "confirm" record), releases the
 * unselected shipments, and moves to EXAMINATION (or QUESTIONS / DEBRIEF
 * when nothing was selected).  Fails: E_STAGE, E_RECORD, E_NOMEM, ... */
enum engine_status engine_confirm(engine *e);

/* Examines feature f (index into the item's features, see
 * engine_item_state) of item i of shipment s: its observed text becomes
 * visible.  EXAMINATION only.  Fails: E_STAGE, E_UNKNOWN_ID,
 * E_NOT_EXAMINED (shipment not selected), E_NO_CHANGE (already examined),
 * E_RECORD, ... */
enum engine_status engine_examine(engine *e, size_t s, size_t i, size_t f);

/* Cites / uncites feature f of item i as evidence (scored with the item's
 * verdict).  Fails: E_STAGE, E_UNKNOWN_ID, E_NOT_EXAMINED, E_NOT_SEEN (the
 * feature was not examined), E_ALREADY_ANSWERED (the item has its verdict),
 * E_NO_CHANGE, E_RECORD, ... */
enum engine_status engine_cite(engine *e, size_t s, size_t i, size_t f);
enum engine_status engine_uncite(engine *e, size_t s, size_t i, size_t f);

/* Judges item i genuine or counterfeit; final.  Records "verdict:..." then,
 * when features are cited, "evidence:...".  Fails: E_STAGE (e.g. before
 * confirm), E_UNKNOWN_ID, E_NOT_EXAMINED, E_INVALID (PACK_VERDICT_NONE),
 * E_ALREADY_ANSWERED, E_RECORD, ... */
enum engine_status engine_verdict(engine *e, size_t s, size_t i, enum pack_verdict v);

/* Chooses the action (built-in or the pack's, by id) for examined shipment
 * s once all its items have verdicts; final.  Fails: E_STAGE,
 * E_UNKNOWN_ID, E_NOT_EXAMINED, E_INCOMPLETE (an item lacks a verdict),
 * E_ALREADY_ANSWERED, E_RECORD, ... */
enum engine_status engine_act(engine *e, size_t s, const char *action_id);

/* EXAMINATION -> QUESTIONS (or DEBRIEF when there are none) once every
 * examined shipment has its action.  Fails: E_STAGE, E_INCOMPLETE,
 * E_RECORD, ... */
enum engine_status engine_end_examination(engine *e);

/* Answers question q (pack index) with n choices given as DISPLAY
 * positions (see engine_question_state.order); final.  QUESTIONS only.
 * Fails: E_STAGE, E_UNKNOWN_ID (q or a position out of range), E_INVALID
 * (n == 0 or a repeated position), E_ALREADY_ANSWERED, E_RECORD, ... */
enum engine_status engine_answer(engine *e, size_t q, const size_t *choices, size_t n);

/* Ends the exercise from any stage (-> DEBRIEF); see "Finishing early".
 * Fails: E_FINISHED, E_RECORD, E_NOMEM. */
enum engine_status engine_finish(engine *e);

/* Applies the time limit: when settings.time_limit_minutes have passed
 * (active time), ends the exercise with a "timeout" record, like
 * engine_finish().  Returns ENGINE_OK while time remains or when there is
 * no limit or the exercise is already over, ENGINE_E_TIME_UP when this call
 * ended it, E_RECORD / E_NOMEM when the timeout could not be recorded (the
 * state is then unchanged; call again).  Every other command calls this
 * first and, when it returns E_TIME_UP, returns E_TIME_UP itself without
 * doing its own work: the one case where a failing command changes state
 * (to DEBRIEF).  Call it from the front end's idle loop. */
enum engine_status engine_tick(engine *e);

/* Applies one stored record, without calling the sink, taking time_ms from
 * the record; settlement records are skipped (ENGINE_OK).  Feed an
 * attempt's records in their stored order to rebuild it exactly.  Returns
 * what the command returned, or E_BAD_RECORD for an unparseable raw text or
 * an unknown shipment/question id.  The time limit is not applied during
 * replay (call engine_tick() afterwards). */
enum engine_status engine_replay(engine *e, const engine_record *rec);

/* ---- read-only state ----
 * The accessors below take a non-NULL engine and never fail.  The structs
 * they return point into the engine: they stay valid (and show the current
 * state) for the engine's life, except the decisions array (see there). */

typedef struct engine_feature_state {
	const pack_keyed_text *observed; /* key = feature id; text = what the officer sees:
	                                    show it only once examined */
	const pack_feature *guide;       /* the brand guide's feature, NULL for unbranded */
	bool examined;
	bool cited;
} engine_feature_state;

typedef struct engine_item_state {
	const pack_item *item;
	const engine_feature_state *features; /* one per item->observed entry, same order */
	size_t feature_count;
	size_t cited_count;
	enum pack_verdict verdict; /* PACK_VERDICT_NONE until given */
	long long verdict_points;  /* valid once the verdict is given */
	long long evidence_points; /* settled with the verdict */
} engine_item_state;

typedef struct engine_shipment_state {
	const pack_shipment *shipment;
	const bool *flagged; /* per entry of engine_indicators() */
	size_t flag_count;
	bool selected;             /* chosen for examination (targeting) */
	bool examined;             /* selected at confirm */
	bool settled;              /* targeting and indicators scored (after confirm/finish) */
	bool released_unexamined;  /* settled and not examined (implicit release) */
	const pack_action *action; /* the chosen action; NULL until chosen and for
	                              shipments released unexamined */
	long long target_points, indicator_points, action_points;
	const engine_item_state *items; /* shipment->item_count of them */
	bool holds_counterfeit;         /* the key: at least one counterfeit item */
	bool missed_counterfeit;        /* released unexamined while holding counterfeits */
	bool false_alarm;               /* examined while holding none */
} engine_shipment_state;

typedef struct engine_question_state {
	const pack_question *question;
	const size_t *order; /* order[display position] = pack choice index */
	const bool *chosen;  /* per pack choice index; valid once answered */
	bool answered;
	long long points;
} engine_question_state;

/* One scored decision for feedback and the debrief, with the key beside
 * it.  Strings belong to the engine. */
typedef struct engine_decision {
	enum engine_part part;
	long shipment;       /* pack index or -1 */
	long item;           /* item index or -1 */
	long question;       /* pack index or -1 */
	const char *given;   /* e.g. "counterfeit", "examined", "undervalued, new-trader",
	                        "(none)"; question: pack choice numbers 1-based, "2, 3" */
	const char *key;     /* the answer key in the same form */
	const char *explain; /* the pack's explanation (item, shipment or question), or NULL */
	long long points;
	bool correct; /* the decision earned the best points available to it */
	int64_t time_ms;
} engine_decision;

enum engine_stage engine_stage(const engine *e);
const pack *engine_pack(const engine *e);
bool engine_is_exam(const engine *e); /* exam mode: no feedback before the debrief */
uint64_t engine_seed(const engine *e);

/* Shipments in display order: order[k] = pack index of the k-th row; count
 * = pack->shipment_count.  Stable for the engine's life. */
const size_t *engine_shipment_order(const engine *e);

/* State of shipment s (pack index); NULL when out of range. */
const engine_shipment_state *engine_shipment(const engine *e, size_t s);

/* State of question q (pack index); NULL when out of range. */
const engine_question_state *engine_question(const engine *e, size_t q);

/* The indicator catalogue (built-ins, then the pack's), index-aligned with
 * engine_shipment_state.flagged; and the action catalogue likewise. */
const pack_indicator *const *engine_indicators(const engine *e, size_t *count);
const pack_action *const *engine_actions(const engine *e, size_t *count);

/* Examinations used (selected shipments) and the budget (-1: no limit). */
size_t engine_budget_used(const engine *e);
long long engine_budget(const engine *e);

/* Current scores (score[] so far) with the pack's maxima (max[]). */
void engine_scores_get(const engine *e, engine_scores *out);
long long engine_total(const engine *e);

/* Active time used, and the time left (-1 when there is no limit; 0 when
 * it ran out). */
int64_t engine_elapsed_ms(const engine *e);
int64_t engine_remaining_ms(const engine *e);

/* True when the time limit ended the exercise. */
bool engine_timed_out(const engine *e);

/* Scored decisions in the order made; the array may move when a command
 * succeeds, so re-read it.  Practice feedback: compare the count before and
 * after a command and show the new entries. */
const engine_decision *engine_decisions(const engine *e, size_t *count);

#endif
