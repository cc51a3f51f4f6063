package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rhythm-team/rhythm/ingest"
	"github.com/rhythm-team/rhythm/team"
)

// readSlack fills t.Slack from the team's stored link.
func readSlack(ctx context.Context, tx *Tx, t *team.Team) error {
	var ws string
	if err := tx.QueryRow(ctx, "SELECT slack_workspace FROM teams WHERE id = ?", t.ID).Scan(&ws); err != nil {
		return err
	}
	if ws == "" {
		t.Slack = nil
		return nil
	}
	chans, err := queryAll(ctx, tx, func(s scanner) (team.SlackChannel, error) {
		var c team.SlackChannel
		return c, s.Scan(&c.ID, &c.Name)
	}, "SELECT channel, name FROM slack_channels WHERE team_id = ? ORDER BY position", t.ID)
	t.Slack = &team.SlackLink{Workspace: ws, Channels: chans}
	return err
}

// writeSlack stores t.Slack in place of the team's link.
func writeSlack(ctx context.Context, tx *Tx, t team.Team) error {
	ws := ""
	if t.Slack != nil {
		ws = t.Slack.Workspace
	}
	if _, err := tx.Exec(ctx, "UPDATE teams SET slack_workspace = ? WHERE id = ?", ws, t.ID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "DELETE FROM slack_channels WHERE team_id = ?", t.ID); err != nil {
		return err
	}
	if t.Slack == nil {
		return nil
	}
	for i, c := range t.Slack.Channels {
		if _, err := tx.Exec(ctx, "INSERT INTO slack_channels (team_id, workspace, channel, name, position) VALUES (?, ?, ?, ?, ?)",
			t.ID, ws, c.ID, c.Name, i); err != nil {
			return err
		}
	}
	return nil
}

// SlackFollower is a team that follows a Slack channel.
type SlackFollower struct {
	TeamID  int64
	Channel team.SlackChannel
}

// SlackFollowers returns the teams that follow channel of workspace.
func (db *DB) SlackFollowers(ctx context.Context, workspace, channel string) ([]SlackFollower, error) {
	var out []SlackFollower
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, func(s scanner) (SlackFollower, error) {
			var f SlackFollower
			return f, s.Scan(&f.TeamID, &f.Channel.ID, &f.Channel.Name)
		}, "SELECT team_id, channel, name FROM slack_channels WHERE workspace = ? AND channel = ? ORDER BY team_id", workspace, channel)
		return err
	})
	return out, err
}

// SlackTeams returns the ids of the teams linked to workspace, oldest first.
func (db *DB) SlackTeams(ctx context.Context, workspace string) ([]int64, error) {
	var out []int64
	err := db.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, func(s scanner) (int64, error) {
			var id int64
			return id, s.Scan(&id)
		}, "SELECT id FROM teams WHERE slack_workspace = ? ORDER BY id", workspace)
		return err
	})
	return out, err
}

// LiveSlackHash is the content hash of the import row that a team's live
// Slack messages hang on: the imports list shows them as one source, and
// removing it removes them.
const LiveSlackHash = "slack-live"

// RecordLiveChat stores one live chat interaction of the team and reports
// whether it was new. A message the team has already (the same channel and
// ts, from an earlier delivery or an export) is not stored again.
func (db *DB) RecordLiveChat(ctx context.Context, teamID int64, in ingest.Interaction) (bool, error) {
	stored := false
	if db.dialect != Postgres {
		db.liveMu.Lock()
		defer db.liveMu.Unlock()
	}
	err := db.InTx(ctx, func(tx *Tx) error {
		importID, err := liveImport(ctx, tx, db, teamID)
		if err != nil {
			return err
		}
		parts := appendParticipants(nil, in.Participants)
		res, err := tx.Exec(ctx, `INSERT INTO interactions (`+interactionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`,
			teamID, importID, string(in.Source), in.ID, string(in.Mode), string(in.Kind), in.Start.UnixMicro(), in.End.UnixMicro(),
			flag(in.AllDay), in.Organizer, string(parts), in.Attendees(), in.Resources, in.ThreadID, in.InReplyTo, in.Channel,
			string(in.ChannelKind), flag(in.Recurring))
		if err != nil {
			return err
		}
		// The live import row's counts are not kept per message (every
		// event would queue on that one row); Imports counts its rows.
		n, err := res.RowsAffected()
		stored = n > 0
		return err
	})
	return stored, err
}

// liveImport returns the id of the team's live Slack import row, making it
// on first use.
func liveImport(ctx context.Context, tx *Tx, db *DB, teamID int64) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, "SELECT id FROM imports WHERE team_id = ? AND content_hash = ?", teamID, LiveSlackHash).Scan(&id)
	if !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO imports (team_id, name, format, content_hash, read_count, stored, skipped, skipped_reasons, notes, created_at)
		VALUES (?, 'Slack (live)', 'slack-live', ?, 0, 0, 0, '{}', '[]', ?) ON CONFLICT DO NOTHING`, teamID, LiveSlackHash, db.Now().Unix()); err != nil {
		return 0, err
	}
	if err := tx.QueryRow(ctx, "SELECT id FROM imports WHERE team_id = ? AND content_hash = ?", teamID, LiveSlackHash).Scan(&id); err != nil {
		return 0, fmt.Errorf("live Slack import of team %d: %w", teamID, err)
	}
	return id, nil
}
