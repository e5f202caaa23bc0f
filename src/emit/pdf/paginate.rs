//! Page breaking: groups of boxes → pages, with keep-with-next, no widows or orphans
//! (at least two lines of a paragraph on each side of a break), repeated table headers and
//! footnotes on the page of their first reference.

use std::collections::{BTreeMap, BTreeSet};

use super::layout::{Group, VBox};

/// A box placed on a page.
#[derive(Debug, Clone)]
pub(crate) struct Placed<'a> {
    /// Distance from the top of the text area to the box top.
    pub top: f32,
    pub b: &'a VBox,
    /// First box on its page (space above was dropped).
    pub at_top: bool,
}

/// One page's content.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page<'a> {
    pub boxes: Vec<Placed<'a>>,
    /// Footnotes set at the foot of this page, in order.
    pub notes: Vec<usize>,
}

/// Vertical gap above the footnotes (the separator rule sits in it).
pub(crate) fn note_gap(leading: f32) -> f32 {
    leading * 1.1
}

struct State<'a, 'n> {
    pages: Vec<Page<'a>>,
    cur: Page<'a>,
    cursor: f32,
    notes_h: f32,
    height: f32,
    gap: f32,
    notes: &'n BTreeMap<usize, Vec<VBox>>,
    placed_notes: BTreeSet<usize>,
    /// Per placed box on the current page: (space requested above it, its group is kept
    /// with the next one).
    cur_meta: Vec<(f32, bool)>,
    /// Whether the group being placed is kept with the next one.
    keep_current: bool,
}

impl<'a> State<'a, '_> {
    fn empty(&self) -> bool {
        self.cur.boxes.is_empty()
    }

    fn note_height(&self, id: usize) -> f32 {
        self.notes.get(&id).map(|bs| bs.iter().map(|b| b.height).sum::<f32>()).unwrap_or(0.0)
    }

    /// Extra footnote height a box would add to this page.
    fn extra_notes(&self, b: &VBox) -> f32 {
        let mut h = 0.0;
        let mut any_new = false;
        for id in &b.footnotes {
            if self.notes.contains_key(id)
                && !self.placed_notes.contains(id)
                && !self.cur.notes.contains(id)
            {
                h += self.note_height(*id);
                any_new = true;
            }
        }
        if any_new && self.cur.notes.is_empty() {
            h += self.gap;
        }
        h
    }

    fn fits(&self, b: &VBox, space: f32) -> bool {
        self.cursor + space + b.height + self.notes_h + self.extra_notes(b) <= self.height + 0.01
    }

    fn place(&mut self, b: &'a VBox, space: f32) {
        let at_top = self.empty();
        if !at_top {
            self.cursor += space;
        }
        let extra = self.extra_notes(b);
        for id in &b.footnotes {
            if self.notes.contains_key(id)
                && !self.placed_notes.contains(id)
                && !self.cur.notes.contains(id)
            {
                self.cur.notes.push(*id);
            }
        }
        self.notes_h += extra;
        self.cur.boxes.push(Placed { top: self.cursor, b, at_top });
        self.cur_meta.push((space, self.keep_current));
        self.cursor += b.height;
    }

    /// Start a new page because the next group does not fit; boxes of kept-with-next groups
    /// at the bottom of this page (a heading, a caption) move along with it.
    fn break_keeping(&mut self) {
        let mut carried: Vec<(&'a VBox, f32)> = Vec::new();
        while self.cur_meta.last().is_some_and(|(_, keep)| *keep)
            && self.cur.boxes.len() > carried.len() + 1
        {
            let Some(p) = self.cur.boxes.last() else { break };
            if !p.b.footnotes.is_empty() {
                break;
            }
            let (space, _) = self.cur_meta.pop().unwrap_or((0.0, false));
            if let Some(p) = self.cur.boxes.pop() {
                carried.push((p.b, space));
            }
        }
        if let Some(last) = self.cur.boxes.last() {
            self.cursor = last.top + last.b.height;
        }
        self.new_page();
        let keep = self.keep_current;
        self.keep_current = true;
        for (b, space) in carried.into_iter().rev() {
            self.place(b, space);
        }
        self.keep_current = keep;
    }

    fn new_page(&mut self) {
        if self.cur.boxes.is_empty() && self.cur.notes.is_empty() {
            return;
        }
        let page = std::mem::take(&mut self.cur);
        self.cur_meta.clear();
        self.placed_notes.extend(page.notes.iter().copied());
        self.pages.push(page);
        self.cursor = 0.0;
        self.notes_h = 0.0;
    }

    /// Place a table header again when a row group opens a page.
    fn maybe_header(&mut self, g: &'a Group) {
        if self.empty() {
            if let Some(h) = &g.repeat_header {
                for b in h.iter() {
                    self.place(b, 0.0);
                }
            }
        }
    }
}

/// A group's height without the space above it.
pub(crate) fn total(g: &Group) -> f32 {
    g.boxes.iter().map(|b| b.height).sum()
}

/// Break groups into pages of the given text-area height.
pub(crate) fn paginate<'a>(
    groups: &'a [Group],
    notes: &BTreeMap<usize, Vec<VBox>>,
    height: f32,
    leading: f32,
) -> Vec<Page<'a>> {
    let mut st = State {
        pages: Vec::new(),
        cur: Page::default(),
        cursor: 0.0,
        notes_h: 0.0,
        height,
        gap: note_gap(leading),
        notes,
        placed_notes: BTreeSet::new(),
        cur_meta: Vec::new(),
        keep_current: false,
    };
    for (gi, g) in groups.iter().enumerate() {
        if g.boxes.is_empty() {
            continue;
        }
        if g.break_before {
            st.new_page();
        }
        st.keep_current = g.keep_with_next;
        // Keep-with-next chains: the group, any following kept groups, and the first two
        // lines of the group after them must share the page.
        if g.keep_with_next && !st.empty() {
            let mut need = g.space_before + total(g);
            for next in groups.iter().skip(gi + 1) {
                need += next.space_before;
                if next.keep_with_next {
                    need += total(next);
                } else {
                    let k =
                        if next.splittable && next.boxes.len() >= 4 { 2 } else { next.boxes.len() };
                    for b in next.boxes.iter().take(k) {
                        need += b.height + st.extra_notes(b);
                    }
                    break;
                }
                if need > height {
                    break;
                }
            }
            if need <= height && st.cursor + need + st.notes_h > height {
                st.break_keeping();
            }
        }
        let n = g.boxes.len();
        if !g.splittable || n < 4 {
            let first = &g.boxes[0];
            let needed = g.space_before + total(g) - first.height;
            let fits_all = st.fits(first, g.space_before)
                && st.cursor + needed + first.height + st.notes_h <= height;
            if !st.empty() && !fits_all {
                st.break_keeping();
            }
            st.maybe_header(g);
            for (i, b) in g.boxes.iter().enumerate() {
                if i > 0 && !st.fits(b, 0.0) && !st.empty() {
                    // Taller than a page: continue on the next one.
                    st.new_page();
                }
                st.place(b, if i == 0 { g.space_before } else { 0.0 });
            }
            continue;
        }
        let mut idx = 0;
        let mut guard = 0;
        while idx < n && guard < 10_000 {
            guard += 1;
            let space = if idx == 0 { g.space_before } else { 0.0 };
            // How many of the remaining boxes fit here?
            let mut m = 0;
            {
                let mut probe_cursor = st.cursor + if st.empty() { 0.0 } else { space };
                let mut probe_notes = st.notes_h;
                let mut seen: Vec<usize> = st.cur.notes.clone();
                for b in g.boxes.iter().skip(idx) {
                    let mut extra = 0.0;
                    let mut new_any = false;
                    for id in &b.footnotes {
                        if notes.contains_key(id)
                            && !st.placed_notes.contains(id)
                            && !seen.contains(id)
                        {
                            extra += st.note_height(*id);
                            new_any = true;
                        }
                    }
                    if new_any && seen.is_empty() {
                        extra += st.gap;
                    }
                    if probe_cursor + b.height + probe_notes + extra > height + 0.01 {
                        break;
                    }
                    for id in &b.footnotes {
                        if notes.contains_key(id) && !seen.contains(id) {
                            seen.push(*id);
                        }
                    }
                    probe_cursor += b.height;
                    probe_notes += extra;
                    m += 1;
                }
            }
            let remaining = n - idx;
            if m >= remaining {
                for (k, b) in g.boxes.iter().enumerate().skip(idx) {
                    st.place(b, if k == 0 { space } else { 0.0 });
                }
                break;
            }
            if idx == 0 && m < 2 && !st.empty() {
                st.break_keeping();
                continue;
            }
            if remaining - m < 2 {
                m = remaining.saturating_sub(2);
                if idx == 0 && m < 2 && !st.empty() {
                    st.break_keeping();
                    continue;
                }
            }
            let m = m.max(1);
            for (k, b) in g.boxes.iter().enumerate().skip(idx).take(m) {
                st.place(b, if k == 0 { space } else { 0.0 });
            }
            idx += m;
            st.new_page();
        }
    }
    st.new_page();
    if st.pages.is_empty() {
        st.pages.push(Page::default());
    }
    st.pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: usize, h: f32) -> Group {
        Group {
            boxes: (0..n).map(|_| VBox { height: h, ..Default::default() }).collect(),
            splittable: true,
            space_before: 5.0,
            ..Default::default()
        }
    }

    #[test]
    fn no_widows_or_orphans() {
        // A page holds 10 lines; the second paragraph would leave 1 line at the bottom.
        let groups = vec![lines(9, 10.0), lines(5, 10.0)];
        let pages = paginate(&groups, &BTreeMap::new(), 100.0, 10.0);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].boxes.len(), 9);
        // Widow: 8 + 3 lines, page holds 10 → break leaves 2 on the next page.
        let groups = vec![lines(3, 10.0), lines(8, 10.0)];
        let pages = paginate(&groups, &BTreeMap::new(), 100.0, 10.0);
        assert!(pages[1].boxes.len() >= 2, "{}", pages[1].boxes.len());
        for p in &pages {
            let bottom = p.boxes.last().map(|b| b.top + b.b.height).unwrap_or(0.0);
            assert!(bottom <= 100.01);
        }
    }

    #[test]
    fn headings_keep_with_next() {
        let mut h = lines(1, 10.0);
        h.keep_with_next = true;
        h.splittable = false;
        let groups = vec![lines(8, 10.0), h, lines(6, 10.0)];
        let pages = paginate(&groups, &BTreeMap::new(), 100.0, 10.0);
        assert_eq!(pages[0].boxes.len(), 8);
        assert_eq!(pages.len(), 2);
    }

    #[test]
    fn headings_do_not_strand_when_footnotes_push_the_text_on() {
        // Page of 100: 6 lines, a heading, then a paragraph whose first line carries a
        // 40-high footnote. Heading + 2 lines fit, but not with the note: both move on.
        let mut h = lines(1, 10.0);
        h.keep_with_next = true;
        h.splittable = false;
        h.space_before = 0.0;
        let mut p = lines(6, 10.0);
        p.boxes[0].footnotes.push(1);
        let mut notes = BTreeMap::new();
        notes.insert(1, vec![VBox { height: 40.0, ..Default::default() }]);
        let mut first = lines(6, 10.0);
        first.space_before = 0.0;
        p.space_before = 0.0;
        let groups = vec![first, h, p];
        let pages = paginate(&groups, &notes, 100.0, 10.0);
        assert_eq!(pages[0].boxes.len(), 6, "the heading left the first page");
        assert!(pages[0].notes.is_empty());
        assert_eq!(pages[1].notes, vec![1]);
        // Also when the keep check is fooled: the heading still travels with its text.
        for p in &pages {
            let last = p.boxes.last().unwrap();
            assert!(!std::ptr::eq(last.b, &groups[1].boxes[0]), "heading at a page bottom");
        }
    }

    #[test]
    fn footnotes_go_to_the_referencing_page() {
        let mut g = lines(12, 10.0);
        g.boxes[3].footnotes.push(1);
        let mut notes = BTreeMap::new();
        notes.insert(1, vec![VBox { height: 20.0, ..Default::default() }]);
        let groups = [g];
        let pages = paginate(&groups, &notes, 100.0, 10.0);
        assert_eq!(pages[0].notes, vec![1]);
        let used = pages[0].boxes.iter().map(|b| b.b.height).sum::<f32>() + 20.0 + note_gap(10.0);
        assert!(used <= 100.01);
    }
}
