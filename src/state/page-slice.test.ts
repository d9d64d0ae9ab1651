// The page slice: the page starts from the address it was opened with (an unknown example is
// reported and replaced), and the lesson remembers the page to return to.
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../data/catalog';
import { fakePage } from '../../test/state/fake-store';

describe('page slice', () => {
  it('starts from the address; an unknown example is reported and the first example shown', () => {
    const p = fakePage({ href: 'http://xlens.test/?cl=th&ex=no-such-example' });
    const s = p.store.getState();
    expect(s.page.contextLang).toBe('th');
    expect(s.page.example).toBe(CATALOG.find((e) => e.set === 'tiny')!.id);
    expect(s.notices).toEqual(['Ignored ?ex="no-such-example": there is no such example; the first one is shown.']);
    s.dismissNotices();
    expect(p.store.getState().notices).toEqual([]);
  });

  it('the lesson remembers the page before it and restores it when it ends', () => {
    const p = fakePage({ href: 'http://xlens.test/?cl=ar&ql=zh' });
    const before = p.store.getState().page;
    p.store.getState().startLesson(0);
    expect(p.store.getState().page.tab).toBe('lesson');
    expect(p.store.getState().beforeLesson).toBe(before);
    p.store.getState().startLesson(1); // moving within the lesson keeps the page to return to
    expect(p.store.getState().beforeLesson).toBe(before);
    p.store.getState().leaveLesson();
    expect(p.store.getState()).toMatchObject({ beforeLesson: null, page: { tab: before.tab, contextLang: 'ar', questionLang: 'zh' } });
  });

  it('hover changes only when it moves; view patches keep the rest of the view', () => {
    const p = fakePage();
    let changes = 0;
    p.store.subscribe(() => changes++);
    p.store.getState().setHover({ layer: 1, token: 2 });
    p.store.getState().setHover({ layer: 1, token: 2 });
    expect(changes).toBe(1);
    p.store.getState().setView({ pinnedLayer: 3 });
    expect(p.store.getState().page.view).toMatchObject({ pinnedLayer: 3, lensMetric: 'prob' });
  });
});
