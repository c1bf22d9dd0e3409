/* screen_debrief.c - the result: total and percentage, the breakdown by
 * part, counterfeits released unexamined, false alarms, each shipment's
 * explanation, and every decision with the key beside it. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void section(tui *t, const char *title)
{
	size_t *ns = realloc(t->debrief_sections, (t->debrief_section_count + 1) * sizeof *ns);
	if (ns) {
		t->debrief_sections = ns;
		ns[t->debrief_section_count++] = t->debrief.count;
	}
	tui_doc_add_text(&t->debrief, ROLE_NORMAL, 0, "");
	tui_doc_add_text(&t->debrief, ROLE_HEADER, 0, title);
}

static void decisions(tui *t)
{
	tui_doc *d = &t->debrief;
	const pack *p = engine_pack(t->e);
	size_t n;
	const engine_decision *dec = engine_decisions(t->e, &n);

	section(t, "Every decision, with the key");
	if (n == 0)
		tui_doc_add_text(d, ROLE_DIM, 2, "No decision was scored.");
	for (size_t k = 0; k < n; k++) {
		char where[512], it[256];
		if (dec[k].question >= 0) {
			snprintf(where, sizeof where, "question %ld (%s)", dec[k].question + 1,
			         p->questions[dec[k].question].id.text);
		} else if (dec[k].shipment >= 0) {
			const pack_shipment *s = &p->shipments[dec[k].shipment];
			if (dec[k].item >= 0)
				snprintf(where, sizeof where, "%s item %ld (%s)", s->id.text,
				         dec[k].item + 1,
				         tui_item_title(&s->contents[dec[k].item], it, sizeof it));
			else
				snprintf(where, sizeof where, "%s", s->id.text);
		} else {
			snprintf(where, sizeof where, "-");
		}
		tui_doc_add(d, dec[k].correct ? ROLE_GOOD : ROLE_BAD, 2, "%4zu. %-10s %s  %+lld",
		            k + 1, engine_part_name(dec[k].part), where, dec[k].points);
		if (dec[k].question >= 0) {
			char ans[1024];
			tui_question_answer_text(t, (size_t)dec[k].question, false, ans,
			                         sizeof ans);
			tui_doc_add(d, ROLE_NORMAL, 10, "you: %s", ans);
			tui_question_answer_text(t, (size_t)dec[k].question, true, ans, sizeof ans);
			tui_doc_add(d, ROLE_NORMAL, 10, "key: %s", ans);
		} else {
			tui_doc_add(d, ROLE_NORMAL, 10, "you: %s  |  key: %s",
			            dec[k].given ? dec[k].given : "-",
			            dec[k].key ? dec[k].key : "-");
		}
		if (dec[k].explain && dec[k].part != ENGINE_PART_TARGETING &&
		    dec[k].part != ENGINE_PART_INDICATORS)
			tui_doc_add_text(d, ROLE_DIM, 10, dec[k].explain);
	}
}

static void build(tui *t)
{
	tui_doc *d = &t->debrief;
	const pack *p = engine_pack(t->e);
	const size_t *order = engine_shipment_order(t->e);
	engine_scores sc;
	size_t missed = 0, alarms = 0;

	tui_doc_clear(d);
	t->debrief_section_count = 0;
	engine_scores_get(t->e, &sc);
	tui_doc_add(d, ROLE_HEADER, 0, "Score: %lld of %lld (%lld%%)", sc.total, sc.total_max,
	            sc.total_max > 0 ? sc.total * 100 / sc.total_max : 0);
	if (engine_timed_out(t->e))
		tui_doc_add_text(d, ROLE_BAD, 0,
		                 "The time limit ended the exercise; what you answered counts.");
	section(t, "By part");
	for (int k = 0; k < ENGINE_PART_COUNT; k++)
		tui_doc_add(d, sc.score[k] >= sc.max[k] ? ROLE_GOOD : ROLE_NORMAL, 2,
		            "%-12s %5lld of %lld", engine_part_name((enum engine_part)k),
		            sc.score[k], sc.max[k]);

	section(t, "Counterfeits released unexamined");
	for (size_t k = 0; k < p->shipment_count; k++) {
		const engine_shipment_state *ss = engine_shipment(t->e, order[k]);
		if (ss->missed_counterfeit) {
			tui_doc_add(d, ROLE_BAD, 2, "%s (%s, %s)", ss->shipment->id.text,
			            ss->shipment->declaration.consignee.text,
			            ss->shipment->declaration.goods.text);
			missed++;
		}
	}
	if (!missed)
		tui_doc_add_text(d, ROLE_GOOD, 2, "None.");
	section(t, "False alarms (examined, nothing counterfeit)");
	for (size_t k = 0; k < p->shipment_count; k++) {
		const engine_shipment_state *ss = engine_shipment(t->e, order[k]);
		if (ss->false_alarm) {
			tui_doc_add(d, ROLE_BAD, 2, "%s (%s)", ss->shipment->id.text,
			            ss->shipment->declaration.consignee.text);
			alarms++;
		}
	}
	if (!alarms)
		tui_doc_add_text(d, ROLE_GOOD, 2, "None.");

	section(t, "Each shipment");
	for (size_t k = 0; k < p->shipment_count; k++) {
		const engine_shipment_state *ss = engine_shipment(t->e, order[k]);
		const pack_shipment *s = ss->shipment;
		tui_doc_add(d, ROLE_EMPH, 2, "%s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 key: %s",
		            s->id.text, ss->examined ? "examined" : "released unexamined",
		            ss->holds_counterfeit ? "held counterfeits" : "all genuine",
		            s->action.text ? s->action.text : "-");
		if (s->explain.text)
			tui_doc_add_text(d, ROLE_NORMAL, 4, s->explain.text);
		for (size_t i = 0; i < s->indicator_count; i++)
			tui_doc_add(d, ROLE_DIM, 4, "indicator %s: %s", s->indicators[i].key.text,
			            s->indicators[i].text.text ? s->indicators[i].text.text : "");
	}
	decisions(t);
	tui_doc_add_text(d, ROLE_NORMAL, 0, "");
	tui_doc_add_text(d, ROLE_DIM, 0, "q leaves the debrief.");
	t->debrief_built = true;
}

void tui_debrief_free(tui *t)
{
	tui_doc_free(&t->debrief);
	free(t->debrief_sections);
	t->debrief_sections = NULL;
	t->debrief_section_count = 0;
	t->debrief_built = false;
}

void tui_debrief_draw(tui *t)
{
	if (!t->debrief_built)
		build(t);
	tui_title_bar(t, "Debrief");
	tui_doc_draw(t, &t->debrief, 2, 2, LINES - 5, COLS - 4);
}

int tui_debrief_key(tui *t, enum tui_action a)
{
	tui_doc *d = &t->debrief;

	if (!t->debrief_built)
		build(t);
	tui_doc_layout(d, (size_t)COLS - 5);
	if (tui_doc_scroll(d, a, LINES - 5))
		return TUI_R_NONE;
	if (a == ACT_TAB && t->debrief_section_count) {
		size_t next = 0;
		for (size_t k = 0; k < t->debrief_section_count; k++) {
			size_t row = tui_doc_row_of(d, t->debrief_sections[k]);
			if (row > d->top) {
				next = row;
				break;
			}
		}
		d->top = next;
	}
	return TUI_R_NONE;
}
