// Package slack reads Slack exports (the workspace export and slackdump's
// export, as a zip archive or an unpacked folder) into interactions:
// messages and thread replies as async messages, huddles as sync calls.
// Only metadata is decoded; message text is scanned for mentions and
// dropped, and blocks, files and attachments are never decoded.
package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	json "github.com/goccy/go-json"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/ingest"
)

// MaxDayFile is the largest day file read, in bytes. A day file is held in
// memory while it is decoded.
const MaxDayFile = 256 << 20

// dayBudget is how many bytes of day files the workers of one import hold
// at once, a file counting twice (the decoder copies it): small files are
// decoded side by side, large ones (from 16 MB) one by one, so four 250 MB
// day files never sit in memory together.
const dayBudget = 128 << 20

// keepScratch is the largest buffer a worker keeps for its next file.
const keepScratch = 8 << 20

// Export is a Slack export.
type Export struct {
	fsys   fs.FS
	name   string
	res    *ingest.Resolver
	closer io.Closer
	// Workers is how many day files are decoded at once (default: the
	// number of CPUs, at most 4). Interactions are emitted in order anyway.
	Workers int
}

// Open opens the export at path: a zip archive, checked against lim, or a
// folder.
func Open(p string, res *ingest.Resolver, lim ingest.Limits) (*Export, error) {
	return OpenAs(p, p, res, lim)
}

// OpenAs is Open with another name for the export in errors.
func OpenAs(p, name string, res *ingest.Resolver, lim ingest.Limits) (*Export, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, errors.Unwrap(err))
	}
	if st.IsDir() {
		root, err := os.OpenRoot(p)
		if err != nil {
			return nil, err
		}
		e, err := New(root.FS(), name, res)
		if err != nil {
			root.Close()
			return nil, err
		}
		e.closer = root
		return e, nil
	}
	z, err := ingest.OpenZipAs(p, name, lim)
	if err != nil {
		return nil, err
	}
	e, err := New(z, name, res)
	if err != nil {
		z.Close()
		return nil, err
	}
	e.closer = z
	return e, nil
}

// New reads the export in fsys; name is used in errors. The export may sit
// in one top-level folder of fsys.
func New(fsys fs.FS, name string, res *ingest.Resolver) (*Export, error) {
	root, err := Root(fsys)
	if err != nil {
		return nil, rhythm.Errorf(rhythm.EINVALID, "%s: %v", name, err)
	}
	if root != "." {
		if fsys, err = fs.Sub(fsys, root); err != nil {
			return nil, err
		}
	}
	return &Export{fsys: fsys, name: name, res: res}, nil
}

// Root returns the folder of fsys that holds the export: "." or its one
// top-level folder. It fails when neither has users.json or channels.json.
func Root(fsys fs.FS) (string, error) {
	if isExportRoot(fsys, ".") {
		return ".", nil
	}
	ents, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return "", err
	}
	var dirs []string
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), "__MACOSX") {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 1 && isExportRoot(fsys, dirs[0]) {
		return dirs[0], nil
	}
	return "", errors.New("not a Slack export: no users.json or channels.json")
}

func isExportRoot(fsys fs.FS, dir string) bool {
	for _, f := range []string{"users.json", "channels.json"} {
		if st, err := fs.Stat(fsys, path.Join(dir, f)); err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}

// Close releases the archive or folder.
func (e *Export) Close() error {
	if e.closer != nil {
		return e.closer.Close()
	}
	return nil
}

type user struct {
	ID      string `json:"id"`
	IsBot   bool   `json:"is_bot"`
	Profile struct {
		Email string `json:"email"`
	} `json:"profile"`
}

type conversation struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []string `json:"members"`
}

// conv is a conversation folder to read.
type conv struct {
	dir     string
	id      string
	channel string
	kind    ingest.ChannelKind
	members []string
}

// job is one day file.
type job struct {
	c    *conv
	file string
}

type result struct {
	ins   []ingest.Interaction
	stats ingest.Stats
	err   error
	end   bool // no more results
}

// reader holds what every day file needs.
type reader struct {
	e     *Export
	users map[string]ingest.Participant // Slack user ID → identity
	bots  map[string]bool
	mem   *budget // bytes of day files held at once
}

// budget is a count of bytes that goroutines take and give back.
type budget struct {
	mu   sync.Mutex
	cond sync.Cond
	free int64
}

func newBudget(n int64) *budget {
	b := &budget{free: n}
	b.cond.L = &b.mu
	return b
}

// take waits until n bytes are free and takes them.
func (b *budget) take(n int64) {
	b.mu.Lock()
	for b.free < n {
		b.cond.Wait()
	}
	b.free -= n
	b.mu.Unlock()
}

// give returns n bytes.
func (b *budget) give(n int64) {
	b.mu.Lock()
	b.free += n
	b.mu.Unlock()
	b.cond.Broadcast()
}

func (e *Export) errorf(file string, err error) error {
	var le *lineError
	if errors.As(err, &le) {
		return rhythm.Errorf(rhythm.EINVALID, "%s: %s:%d: %v", e.name, file, le.line, le.err)
	}
	if rhythm.ErrorCode(err) == rhythm.EINVALID {
		return err // already names the archive and entry
	}
	return rhythm.Errorf(rhythm.EINVALID, "%s: %s: %v", e.name, file, err)
}

func (e *Export) readJSON(file string, v any, required bool) error {
	data, err := fs.ReadFile(e.fsys, file)
	if errors.Is(err, fs.ErrNotExist) && !required {
		return nil
	}
	if err != nil {
		return e.errorf(file, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return e.errorf(file, jsonError(data, err))
	}
	return nil
}

var dayFileRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{4}-\d{2}-\d{2}\.json$`) })

// Import reads the export and calls emit for each interaction: day by day,
// and within a day by conversation folder, each day file in its order.
func (e *Export) Import(ctx context.Context, emit func(ingest.Interaction) error) (ingest.Stats, error) {
	var stats ingest.Stats
	r := &reader{e: e, users: map[string]ingest.Participant{}, bots: map[string]bool{}, mem: newBudget(dayBudget)}
	var users []user
	if err := e.readJSON("users.json", &users, false); err != nil {
		return stats, err
	}
	for _, u := range users {
		if u.IsBot {
			r.bots[u.ID] = true
		}
		r.users[u.ID] = person(e.res, u.Profile.Email, u.ID)
	}
	convs := map[string]*conv{} // by folder
	for _, l := range []struct {
		file string
		kind ingest.ChannelKind
	}{{"channels.json", ingest.Public}, {"groups.json", ingest.Private}, {"mpims.json", ingest.MPIM}, {"dms.json", ingest.DM}} {
		var cs []conversation
		if err := e.readJSON(l.file, &cs, false); err != nil {
			return stats, err
		}
		for _, c := range cs {
			cv := &conv{id: c.ID, kind: l.kind, members: c.Members, channel: c.Name}
			dir := c.Name
			if l.kind == ingest.DM || l.kind == ingest.MPIM || c.Name == "" {
				// Group DM names are made of user names: use the ID.
				cv.channel = c.ID
				if l.kind == ingest.DM || c.Name == "" {
					dir = c.ID
				}
			}
			if cv.id == "" {
				cv.id = dir
			}
			convs[dir] = cv
			if _, ok := convs[c.ID]; !ok && c.ID != "" {
				convs[c.ID] = cv // slackdump may name folders by ID
			}
		}
	}
	ents, err := fs.ReadDir(e.fsys, ".")
	if err != nil {
		return stats, e.errorf(".", err)
	}
	// Day files are read day by day, every conversation's file of a day
	// before the next day's, so interactions come out roughly in time
	// order (which keeps a store's time index cheap to update). The list
	// holds a name and a folder index per file: a large export's list is
	// some tens of bytes per day file.
	type dayFile struct {
		name string // YYYY-MM-DD.json
		conv int32
	}
	var folders []*conv
	var files []dayFile
	for _, ent := range ents {
		if !ent.IsDir() || strings.HasPrefix(ent.Name(), "__") {
			continue
		}
		dir := ent.Name()
		cv := convs[dir]
		if cv == nil {
			cv = &conv{id: dir, channel: dir}
			if strings.HasPrefix(dir, "mpdm-") {
				cv.kind, cv.channel = ingest.MPIM, e.res.Hash("mpdm-", dir)
				cv.id = cv.channel
			}
		}
		folders = append(folders, &conv{dir: dir, id: cv.id, channel: cv.channel, kind: cv.kind, members: cv.members})
		ds, err := fs.ReadDir(e.fsys, dir)
		if err != nil {
			return stats, e.errorf(dir, err)
		}
		for _, f := range ds {
			if !f.IsDir() && dayFileRE().MatchString(f.Name()) {
				files = append(files, dayFile{f.Name(), int32(len(folders) - 1)})
			}
		}
	}
	slices.SortStableFunc(files, func(a, b dayFile) int { return strings.Compare(a.name, b.name) })
	jobs := func(yield func(job, error) bool) {
		for _, f := range files {
			c := folders[f.conv]
			if !yield(job{c: c, file: c.dir + "/" + f.name}, nil) {
				return
			}
		}
	}
	workers := e.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	err = ordered(ctx, workers, jobs, r.day, func(res result) error {
		stats.Add(res.stats)
		if res.err != nil {
			return res.err
		}
		for _, in := range res.ins {
			if err := emit(in); err != nil {
				return err
			}
			stats.Emitted++
		}
		return nil
	})
	return stats, err
}

// ordered runs work for each job on workers goroutines and passes the
// results to sink in the order of jobs, with at most 2*workers jobs in
// flight. A job that comes with an error passes the error on, in order.
func ordered(ctx context.Context, workers int, jobs iter.Seq2[job, error], work func(job, *scratch) result, sink func(result) error) error {
	workers = max(1, workers)
	k := 2 * workers
	slots := make([]chan result, k) // job n's result goes to slots[n%k]
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	type task struct {
		n int
		j job
	}
	tasks := make(chan task)
	done := make(chan struct{})
	sem := make(chan struct{}, k)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(tasks)
		n := 0
		send := func(res result) bool {
			select {
			case sem <- struct{}{}:
			case <-done:
				return false
			}
			slots[n%k] <- res
			n++
			return true
		}
		for j, err := range jobs {
			if err != nil {
				send(result{err: err})
				return
			}
			select {
			case sem <- struct{}{}:
			case <-done:
				return
			}
			select {
			case tasks <- task{n, j}:
			case <-done:
				return
			}
			n++
		}
		send(result{end: true})
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc scratch
			for t := range tasks {
				slots[t.n%k] <- work(t.j, &sc) // the slot is free: at most k in flight
			}
		}()
	}
	var err error
	for n := 0; ; n++ {
		if err = ctx.Err(); err != nil {
			break
		}
		res := <-slots[n%k]
		<-sem
		if res.end {
			break
		}
		if err = sink(res); err != nil {
			break
		}
	}
	close(done)
	// Workers holding a task finish it: its slot is free, as no more than
	// k tasks are ever unconsumed.
	wg.Wait()
	return err
}

// scratch is the memory a worker reuses from one day file to the next.
type scratch struct {
	buf  bytes.Buffer
	msgs []message
}

// day reads one day file.
func (r *reader) day(j job, sc *scratch) (res result) {
	buf := &sc.buf
	e := r.e
	f, err := e.fsys.Open(j.file)
	if err != nil {
		res.err = e.errorf(j.file, err)
		return res
	}
	// The file and its copy in the decoder are held at once: its share of
	// the import's budget is twice its size, as far as it says.
	size := int64(MaxDayFile)
	if fi, err := f.Stat(); err == nil && fi.Size() >= 0 && fi.Size() < MaxDayFile {
		size = fi.Size() + 1
	}
	share := min(2*size, dayBudget)
	r.mem.take(share)
	defer r.mem.give(share)
	defer func() {
		if buf.Cap() > keepScratch { // a large file's memory goes back now
			*sc = scratch{}
		}
	}()
	buf.Reset()
	buf.Grow(int(size))
	_, err = buf.ReadFrom(io.LimitReader(f, MaxDayFile+1))
	f.Close()
	if err != nil {
		res.err = e.errorf(j.file, err)
		return res
	}
	if buf.Len() > MaxDayFile {
		res.err = e.errorf(j.file, fmt.Errorf("day file larger than %d bytes", MaxDayFile))
		return res
	}
	data := buf.Bytes()
	msgs, err := decodeDay(data, sc.msgs)
	sc.msgs = msgs
	if err != nil {
		res.err = e.errorf(j.file, err)
		return res
	}
	res.ins = make([]ingest.Interaction, 0, len(msgs))
	for k := range msgs {
		m := &msgs[k]
		res.stats.Read++
		if in, reason := r.interaction(j.c, m); reason != "" {
			if reason == "bad timestamp" {
				res.stats.Note(reason, fmt.Sprintf("%s: message %d", j.file, k+1))
			} else {
				res.stats.Skip(reason)
			}
		} else {
			res.ins = append(res.ins, in)
		}
	}
	return res
}

// skipped lists subtypes that are not conversation: joins, leaves,
// channel settings, pins, bots and the like. Any other subtype that is not
// a user message is skipped too, under its own name.
var userSubtypes = map[string]bool{
	"":                 true,
	"thread_broadcast": true,
	"file_share":       true,
	"me_message":       true,
	"huddle_thread":    true,
}

func (r *reader) who(id string) ingest.Participant {
	if p, ok := r.users[id]; ok {
		return p
	}
	return person(r.e.res, "", id)
}

// person is the Slack user id with profile email (empty when unknown):
// the roster member with that email, or with id as an alias; anyone else
// is the pseudonym of id. The Slack ID, not the email, is pseudonymised,
// because every message carries it: a live event whose author's email
// could not be looked up names them as the export does.
func person(res *ingest.Resolver, email, id string) ingest.Participant {
	if m, ok := res.Member(email, id); ok {
		return ingest.Participant{ID: m, Member: true}
	}
	return res.Resolve(id)
}

// interaction turns a message into an interaction, or says why not.
func (r *reader) interaction(c *conv, m *message) (ingest.Interaction, string) {
	switch {
	case m.Type != "" && m.Type != "message":
		return ingest.Interaction{}, "not a message"
	case m.Subtype == "bot_message":
		return ingest.Interaction{}, "bot_message"
	case !userSubtypes[m.Subtype]:
		return ingest.Interaction{}, m.Subtype
	case m.BotID != "" || r.bots[m.User]:
		return ingest.Interaction{}, "bot"
	case m.User == "":
		return ingest.Interaction{}, "no user"
	}
	t, ok := parseTS(m.TS)
	if !ok {
		return ingest.Interaction{}, "bad timestamp"
	}
	author := r.who(m.User)
	in := ingest.Interaction{
		Source:      ingest.SourceSlack,
		ID:          c.id + "/" + m.TS,
		Mode:        ingest.Async,
		Kind:        ingest.Message,
		Start:       t,
		End:         t,
		Organizer:   author.ID,
		Channel:     c.channel,
		ChannelKind: c.kind,
	}
	if m.ThreadTS != "" {
		in.ThreadID = c.id + "/" + m.ThreadTS
		if m.ThreadTS != m.TS {
			in.Kind = ingest.Reply
			in.InReplyTo = in.ThreadID
		}
	}
	add := func(p ingest.Participant) {
		if p.ID == "" || slices.ContainsFunc(in.Participants, func(q ingest.Participant) bool { return q.ID == p.ID }) {
			return
		}
		in.Participants = append(in.Participants, p)
	}
	if m.Subtype == "huddle_thread" {
		if m.Room == nil || m.Room.DateStart <= 0 {
			return ingest.Interaction{}, "huddle without call"
		}
		rm := m.Room
		in.Mode, in.Kind = ingest.Sync, ingest.Call
		in.Start = unix(rm.DateStart)
		in.End = in.Start
		if rm.DateEnd > rm.DateStart {
			in.End = unix(rm.DateEnd)
		}
		if rm.CreatedBy != "" {
			in.Organizer = r.who(rm.CreatedBy).ID
		}
		for _, id := range rm.ParticipantHistory {
			add(r.who(id))
		}
		for _, id := range rm.Participants {
			add(r.who(id))
		}
		if len(in.Participants) == 0 {
			add(r.who(rm.CreatedBy))
		}
		return in, ""
	}
	for _, id := range m.Text {
		if id != m.User {
			add(r.who(id))
		}
	}
	if c.kind == ingest.DM || c.kind == ingest.MPIM {
		for _, id := range c.members {
			if id != m.User {
				add(r.who(id))
			}
		}
	}
	return in, ""
}
