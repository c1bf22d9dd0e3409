/* screen_briefing.c - the pack's summary, the inspection budget, the time
 * limit and the rights holders' current alerts, before targeting. */
#include "internal.h"

static void build(tui *t)
{
	const pack *p = engine_pack(t->e);
	tui_doc *d = &t->briefing;
	long long budget = engine_budget(t->e);
	size_t alerts = 0;

	tui_doc_clear(d);
	tui_doc_add_text(d, ROLE_HEADER, 0, p->title.text);
	tui_doc_add_text(d, ROLE_NORMAL, 0, "");
	if (p->summary.text)
		tui_doc_add_text(d, ROLE_NORMAL, 0, p->summary.text);
	tui_doc_add_text(d, ROLE_NORMAL, 0, "");
	tui_doc_add(d, ROLE_NORMAL, 0, "Mode:          %s",
	            engine_is_exam(t->e) ? "exam (your results are shown only at the end)"
	                                 : "practice (feedback after each decision)");
	tui_doc_add(d, ROLE_NORMAL, 0, "Shipments:     %zu", p->shipment_count);
	if (budget < 0)
		tui_doc_add(d, ROLE_NORMAL, 0, "Examinations:  no limit");
	else
		tui_doc_add(d, ROLE_EMPH, 0, "Examinations:  you may examine %lld shipment%s",
		            budget, budget == 1 ? "" : "s");
	if (p->settings.time_limit_minutes > 0)
		tui_doc_add(d, ROLE_EMPH, 0, "Time limit:    %lld minutes",
		            p->settings.time_limit_minutes);
	else
		tui_doc_add(d, ROLE_NORMAL, 0, "Time limit:    none");
	tui_doc_add(d, ROLE_NORMAL, 0, "Questions:     %zu", p->question_count);
	tui_doc_add_text(d, ROLE_NORMAL, 0, "");
	tui_doc_add_text(d, ROLE_HEADER, 0, "Rights holders' current alerts");
	for (size_t b = 0; b < p->brand_count; b++) {
		const pack_brand *br = &p->brands[b];
		for (size_t a = 0; a < br->alert_count; a++) {
			tui_doc_add(d, ROLE_EMPH, 2, "%s (%s)", br->name.text,
			            br->alerts[a].date.text ? br->alerts[a].date.text : "undated");
			tui_doc_add_text(d, ROLE_NORMAL, 4, br->alerts[a].text.text);
			alerts++;
		}
	}
	if (!alerts)
		tui_doc_add_text(d, ROLE_DIM, 2, "No alerts for this pack.");
	tui_doc_add_text(d, ROLE_NORMAL, 0, "");
	tui_doc_add_text(d, ROLE_DIM, 0,
	                 "Press Enter to begin. The brand guide (g) is open to you at every "
	                 "stage; ? lists the keys of each screen.");
	t->briefing_built = true;
}

void tui_briefing_draw(tui *t)
{
	if (!t->briefing_built)
		build(t);
	tui_title_bar(t, "Briefing");
	tui_doc_draw(t, &t->briefing, 2, 2, LINES - 5, COLS - 4);
}

int tui_briefing_key(tui *t, enum tui_action a)
{
	if (tui_doc_scroll(&t->briefing, a, LINES - 5))
		return TUI_R_NONE;
	if (a == ACT_ENTER)
		tui_after(t, engine_begin(t->e));
	return TUI_R_NONE;
}
