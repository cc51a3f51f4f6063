package main

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/rhythm-team/rhythm/team"
)

// The time rule of the command line: a time a person types is read in
// --tz, and every time printed is in --tz and names it. --tz defaults to
// this machine's zone (TZ, else /etc/localtime, else UTC).

// machineZone returns this machine's zone with its IANA name: TZ when it
// names one, else the target of /etc/localtime, else UTC. (time.Local is
// called "Local", which tells a reader nothing.)
func machineZone(getenv func(string) string, localtime string) *time.Location {
	if tz := strings.TrimPrefix(getenv("TZ"), ":"); tz != "" && !isUTC(tz) {
		if loc, err := team.LoadZone(tz); err == nil {
			return loc
		}
	}
	if target, err := filepath.EvalSymlinks(localtime); err == nil {
		if _, name, ok := strings.Cut(filepath.ToSlash(target), "zoneinfo/"); ok && !isUTC(name) {
			if loc, err := team.LoadZone(name); err == nil {
				return loc
			}
		}
	}
	return time.UTC
}

// zoneFlag adds --tz to fs. (Its help does not name the machine's zone:
// finding it reads the file system, and every command's flags are made on
// every start.)
func zoneFlag(fs *pflag.FlagSet, tz *string) {
	fs.StringVar(tz, "tz", "", "IANA zone for the times you type and see (default: this machine's zone, from TZ or /etc/localtime)")
}

// zoneOf reads --tz: the machine's zone when empty.
func zoneOf(tz string) (*time.Location, error) {
	if strings.TrimSpace(tz) == "" {
		return machineZone(os.Getenv, "/etc/localtime"), nil
	}
	loc, err := team.LoadZone(strings.TrimSpace(tz))
	if err != nil {
		return nil, usagef("--tz: %v", err)
	}
	return loc, nil
}

// isUTC reports whether an IANA name is one of UTC's aliases.
func isUTC(name string) bool {
	switch strings.TrimPrefix(strings.TrimPrefix(name, "posix/"), "Etc/") {
	case "UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich":
		return true
	}
	return false
}
