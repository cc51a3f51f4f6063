package web

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/demo"
	"github.com/rhythm-team/rhythm/internal/browsertest"
)

// overflowJS measures the page and names the widest elements that reach
// past the right edge of the screen, to say what to fix.
const overflowJS = `(() => {
	const root = document.documentElement, w = root.clientWidth;
	const wide = [];
	for (const e of document.body.querySelectorAll("*")) {
		const r = e.getBoundingClientRect();
		if (r.width > 0 && r.right > w + 0.5) {
			let p = e.parentElement, inScroller = false;
			for (; p && p !== document.body; p = p.parentElement) {
				const ox = getComputedStyle(p).overflowX;
				if (ox === "auto" || ox === "scroll" || ox === "hidden") { inScroller = true; break; }
			}
			if (!inScroller) wide.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + " (right " + Math.round(r.right) + ")");
		}
	}
	return {scroll: root.scrollWidth, client: w, wide: wide.slice(0, 5)};
})()`

type overflow struct {
	Scroll int      `json:"scroll"`
	Client int      `json:"client"`
	Wide   []string `json:"wide"`
}

// TestBrowserNoSideScrollingOnAPhone signs in to the demo as a person
// would and opens every page of the route table (see demoFixture.pages)
// at 390 px: none may be wider than the screen.
func TestBrowserNoSideScrollingOnAPhone(t *testing.T) {
	ctx := browsertest.New(t)
	f := newDemoFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	if err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible("#demo-signin", chromedp.ByID),
		chromedp.Click("#demo-signin", chromedp.ByID),
		chromedp.WaitVisible("#teams", chromedp.ByID),
		chromedp.EmulateViewport(390, 844),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	team := "/teams/" + strconv.FormatInt(f.main, 10)
	// Every page, and a few in the state that shows the most: with an
	// answer, with results, with every thread.
	pages := append(f.pages(t),
		"/decide?purpose=decision&stakeholders=7&zones=4&ambiguity=high&team="+strconv.FormatInt(f.main, 10),
		team+"/schedule?with=ana&with=kenji&with=maya&with=zoe&duration=30m&weekly=6",
		team+"/threads?state=all",
	)
	shots := map[string]bool{"/teams": true, team: true, team + "/threads": true, "/insights/correlations": true, team + "/audit": true, "/me/week": true}
	for _, p := range pages {
		checkPhoneWidth(t, ctx, ts.URL, p, shots[p])
	}
	// A member sees pages of their own: their week, what they owe, the
	// open round's questions.
	rounds, err := f.db.ListRounds(context.Background(), demo.TeamName)
	if err != nil {
		t.Fatal(err)
	}
	kenji := f.session(t, "kenji@example.com", account.Member)
	if err := chromedp.Run(ctx, network.SetCookie(sessionCookie, kenji).WithURL(ts.URL).WithHTTPOnly(true)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/me/week", "/waiting", team + "/pulse/" + strconv.FormatInt(rounds[0].ID, 10), team + "/threads", "/teams"} {
		checkPhoneWidth(t, ctx, ts.URL, p, shots[p])
	}
}

// checkPhoneWidth opens the page and fails the test when it is wider than
// the screen, naming the widest parts.
func checkPhoneWidth(t *testing.T, ctx context.Context, base, p string, shot bool) {
	t.Helper()
	var o overflow
	if err := chromedp.Run(ctx, chromedp.Navigate(base+p), chromedp.WaitReady("body", chromedp.ByQuery), chromedp.Evaluate(overflowJS, &o)); err != nil {
		t.Errorf("%s: %v", p, err)
		return
	}
	if shot {
		browsertest.Screenshot(t, ctx, "phone"+strings.ReplaceAll(p, "/", "-"))
	}
	if o.Scroll > o.Client {
		t.Errorf("%s scrolls sideways at 390 px: %d px wide in %d; too wide: %s", p, o.Scroll, o.Client, strings.Join(o.Wide, ", "))
		browsertest.Screenshot(t, ctx, "overflow"+strings.ReplaceAll(p, "/", "-"))
	}
}

// TestBrowserScreenshotsAtDesktopWidth saves a few demo pages at 1280 px
// beside the phone ones, to look at.
func TestBrowserScreenshotsAtDesktopWidth(t *testing.T) {
	ctx := browsertest.New(t)
	f := newDemoFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	if err := chromedp.Run(ctx, chromedp.Navigate(ts.URL+"/login"), chromedp.Click("#demo-signin", chromedp.ByID), chromedp.WaitVisible("#teams", chromedp.ByID)); err != nil {
		t.Fatalf("browser: %v", err)
	}
	team := "/teams/" + strconv.FormatInt(f.main, 10)
	for _, p := range []string{"/teams", team, team + "/threads", "/insights/correlations", team + "/pulse", "/experiments"} {
		var title string
		if err := chromedp.Run(ctx, chromedp.Navigate(ts.URL+p), chromedp.WaitReady("body", chromedp.ByQuery), chromedp.Title(&title)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if strings.Contains(title, "Error") || title == "" {
			t.Errorf("%s: title %q", p, title)
		}
		browsertest.Screenshot(t, ctx, "desktop"+strings.ReplaceAll(p, "/", "-"))
	}
}

// TestBrowserPhoneLabelsFitTheirCells: on a phone a stacked table's label
// that wraps to two lines ("Working hours") makes its cell taller instead of
// running into the next cell's label.
func TestBrowserPhoneLabelsFitTheirCells(t *testing.T) {
	ctx := browsertest.New(t)
	f := newDemoFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	team := "/teams/" + strconv.FormatInt(f.main, 10)
	var bad []string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/login"),
		chromedp.WaitVisible("#demo-signin", chromedp.ByID),
		chromedp.Click("#demo-signin", chromedp.ByID),
		chromedp.WaitVisible("#teams", chromedp.ByID),
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(ts.URL+team),
		chromedp.WaitVisible("#members", chromedp.ByID),
		chromedp.Evaluate(`(() => {
			const bad = [];
			for (const td of document.querySelectorAll('table.stack-on-phone td[data-label]')) {
				const label = parseFloat(getComputedStyle(td, '::before').height), cell = td.getBoundingClientRect().height;
				if (!(label < cell)) bad.push(td.dataset.label + ': label ' + label + ' px in a cell of ' + cell + ' px');
			}
			return bad;
		})()`, &bad),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}
	if len(bad) > 0 {
		browsertest.Screenshot(t, ctx, "labels")
		t.Errorf("labels taller than their cells at 390 px: %s", strings.Join(bad, "; "))
	}
}
