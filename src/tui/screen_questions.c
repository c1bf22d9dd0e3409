/* screen_questions.c - single- and multiple-choice questions, one at a
 * time, with the choices in the engine's display order. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static size_t correct_count(const pack_question *q)
{
	size_t n = 0;
	for (size_t c = 0; c < q->choice_count; c++)
		n += q->choices[c].correct.value;
	return n;
}

/* Resets the chosen marks for question q. */
static void load(tui *t, size_t q)
{
	tui_questions *s = &t->q;
	const pack_question *pq = &engine_pack(t->e)->questions[q];

	free(s->chosen);
	s->chosen = calloc(pq->choice_count ? pq->choice_count : 1, sizeof(bool));
	s->chosen_n = s->chosen ? pq->choice_count : 0;
	s->current = q;
	s->cursor = 0;
	s->top = 0;
}

static bool all_answered(tui *t)
{
	const pack *p = engine_pack(t->e);
	for (size_t q = 0; q < p->question_count; q++)
		if (!engine_question(t->e, q)->answered)
			return false;
	return true;
}

void tui_questions_free(tui *t)
{
	free(t->q.chosen);
	memset(&t->q, 0, sizeof t->q);
}

void tui_questions_draw(tui *t)
{
	tui_questions *s = &t->q;
	const pack *p = engine_pack(t->e);
	int y = 2, w = COLS - 4;
	tui_doc doc = {0};

	tui_title_bar(t, "Questions");
	if (p->question_count == 0)
		return;
	if (!s->chosen || s->current >= p->question_count)
		load(t, s->current < p->question_count ? s->current : 0);
	const engine_question_state *qs = engine_question(t->e, s->current);
	const pack_question *pq = qs->question;
	size_t answered = 0;
	for (size_t q = 0; q < p->question_count; q++)
		answered += engine_question(t->e, q)->answered;
	tui_putf(t, 1, 0, COLS, ROLE_DIM,
	         "Question %zu of %zu \xc2\xb7 %zu answered \xc2\xb7 Left/Right: other questions",
	         s->current + 1, p->question_count, answered);
	if (all_answered(t))
		tui_put(t, 1, 0, COLS, ROLE_EMPH, true,
		        "Every question is answered: press F to finish and see the debrief.");
	tui_doc_add_text(&doc, ROLE_HEADER, 0, pq->prompt.text);
	tui_doc_add_text(&doc, ROLE_DIM, 0,
	                 correct_count(pq) == 1
	                         ? "Choose one answer (Space), then Enter."
	                         : "Choose every correct answer (Space), then Enter.");
	tui_doc_layout(&doc, (size_t)w - 1);
	int ph = (int)doc.row_count < LINES / 2 ? (int)doc.row_count : LINES / 2;
	tui_doc_draw(t, &doc, y, 2, ph, w);
	tui_doc_free(&doc);
	y += ph + 1;
	for (size_t k = 0; k < pq->choice_count && y < LINES - 3; k++) {
		size_t c = qs->order[k];
		bool on = qs->answered ? qs->chosen[c] : (k < s->chosen_n && s->chosen[k]);
		bool cur = k == s->cursor && !qs->answered;
		enum tui_role r = cur ? ROLE_CURSOR : ROLE_NORMAL;
		if (qs->answered && !engine_is_exam(t->e))
			r = pq->choices[c].correct.value ? ROLE_GOOD
			                                 : (on ? ROLE_BAD : ROLE_NORMAL);
		tui_doc cd = {0};
		tui_doc_add(&cd, r, 0, "%s %c) %s", on ? "[x]" : "[ ]", (int)('a' + (k % 26)),
		            pq->choices[c].text.text);
		if (cd.count)
			cd.paras[cd.count - 1].hang = 7; /* wrapped rows line up after "[x] a) " */
		int rows = (int)tui_doc_layout(&cd, (size_t)w - 1);
		if (rows > LINES - 3 - y)
			rows = LINES - 3 - y;
		if (cur)
			tui_fill(t, y, 2, rows, w - 1, r);
		tui_doc_draw(t, &cd, y, 2, rows, w);
		tui_doc_free(&cd);
		y += rows;
	}
	if (qs->answered) {
		y++;
		if (engine_is_exam(t->e)) {
			tui_put(t, y, 2, w, ROLE_DIM, false,
			        "Answered. Results come in the debrief.");
		} else {
			tui_putf(t, y, 2, w, qs->points > 0 ? ROLE_GOOD : ROLE_BAD,
			         "Answered: %+lld points", qs->points);
			if (pq->explain.text) {
				tui_doc d2 = {0};
				tui_doc_add_text(&d2, ROLE_DIM, 0, pq->explain.text);
				tui_doc_draw(t, &d2, y + 1, 2, LINES - 3 - (y + 1), w);
				tui_doc_free(&d2);
			}
		}
	}
}

void tui_questions_submit(tui *t)
{
	tui_questions *s = &t->q;
	size_t picks[64], n = 0;
	const pack *p = engine_pack(t->e);

	for (size_t k = 0; k < s->chosen_n && n < 64; k++)
		if (s->chosen[k])
			picks[n++] = k;
	if (tui_after(t, engine_answer(t->e, s->current, picks, n)) != ENGINE_OK)
		return;
	/* move on to the next unanswered question */
	for (size_t d = 1; d <= p->question_count; d++) {
		size_t q = (s->current + d) % p->question_count;
		if (!engine_question(t->e, q)->answered) {
			load(t, q);
			return;
		}
	}
	if (t->ov == OV_FEEDBACK)
		t->then_offer_finish = true; /* once the trainee has read it */
	else
		tui_questions_offer_finish(t);
}

void tui_questions_offer_finish(tui *t)
{
	tui_questions *s = &t->q;

	if (s->offered_finish || t->ov != OV_NONE)
		return;
	s->offered_finish = true;
	tui_ask(t, CONF_FINISH_QUESTIONS,
	        "Every question is answered. Finish the exercise and see the debrief?");
}

int tui_questions_key(tui *t, enum tui_action a)
{
	tui_questions *s = &t->q;
	const pack *p = engine_pack(t->e);

	if (p->question_count == 0)
		return TUI_R_NONE;
	if (!s->chosen)
		load(t, s->current);
	const engine_question_state *qs = engine_question(t->e, s->current);
	const pack_question *pq = qs->question;

	if (tui_list_nav(&s->cursor, pq->choice_count, a, 5))
		return TUI_R_NONE;
	switch (a) {
	case ACT_NEXT:
		load(t, (s->current + 1) % p->question_count);
		break;
	case ACT_PREV:
		load(t, (s->current + p->question_count - 1) % p->question_count);
		break;
	case ACT_TOGGLE:
		if (qs->answered) {
			tui_after(t, ENGINE_E_ALREADY_ANSWERED);
			break;
		}
		if (s->cursor < s->chosen_n) {
			bool was = s->chosen[s->cursor];
			if (correct_count(pq) == 1) /* one answer: a radio button */
				memset(s->chosen, 0, s->chosen_n * sizeof(bool));
			s->chosen[s->cursor] = !was;
		}
		break;
	case ACT_ENTER: {
		size_t n = 0;
		if (qs->answered) {
			tui_after(t, ENGINE_E_ALREADY_ANSWERED);
			break;
		}
		for (size_t k = 0; k < s->chosen_n; k++)
			n += s->chosen[k];
		if (n == 0 && s->cursor < s->chosen_n && correct_count(pq) == 1)
			s->chosen[s->cursor] = true, n = 1; /* Enter on a choice picks it */
		if (n == 0) {
			tui_after(t, ENGINE_E_INVALID);
			break;
		}
		tui_ask(t, CONF_ANSWER, "Submit your answer to question %zu? It is final.",
		        s->current + 1);
		break;
	}
	default:
		break;
	}
	return TUI_R_NONE;
}

void tui_question_answer_text(tui *t, size_t q, bool key, char *buf, size_t size)
{
	const engine_question_state *qs = engine_question(t->e, q);
	const pack_question *pq = qs->question;
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < pq->choice_count && used < size; k++) {
		size_t c = qs->order[k];
		bool on = key ? pq->choices[c].correct.value : (qs->answered && qs->chosen[c]);
		if (on)
			used += (size_t)snprintf(buf + used, size - used, "%s%c) %s",
			                         used ? "; " : "", (int)('a' + (k % 26)),
			                         pq->choices[c].text.text);
	}
	if (!buf[0])
		snprintf(buf, size, "(none)");
}
