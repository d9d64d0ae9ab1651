import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LESSON, lessonState } from '../../state/lesson';
import { defaultPageState } from '../../state/page-state';
import { decodePermalink } from '../../state/permalink';
import { LessonPanel } from './LessonPanel';

const BASE = 'http://127.0.0.1:4173/';

describe('LessonPanel (static render)', () => {
  it('shows step n of N, the text, navigation and a permalink to the step', async () => {
    const state = lessonState(defaultPageState(), 1);
    const html = renderToStaticMarkup(<LessonPanel state={state} onNavigate={() => {}} base={BASE} />);
    expect(html).toContain(`step 2 of ${LESSON.length}`);
    expect(html).toContain('data-testid="lesson-prev"');
    expect(html).toContain('data-testid="lesson-next"');
    expect(html).not.toMatch(/data-testid="lesson-prev"[^>]*disabled/);
    const href = /<a href="([^"]+)" data-testid="lesson-permalink"/.exec(html)![1].replace(/&amp;/g, "&");
    const d = await decodePermalink(href);
    expect(d.state).toEqual(state);
  });

  it('disables Back on the first step and clamps out-of-range steps', () => {
    const s = defaultPageState();
    s.lessonStep = 0;
    expect(renderToStaticMarkup(<LessonPanel state={s} onNavigate={() => {}} base={BASE} />)).toMatch(/disabled=""[^>]*data-testid="lesson-prev"|data-testid="lesson-prev"[^>]*disabled/);
    s.lessonStep = 99;
    expect(renderToStaticMarkup(<LessonPanel state={s} onNavigate={() => {}} base={BASE} />)).toContain(`step ${LESSON.length} of ${LESSON.length}`);
  });
});
