package main

import "github.com/rhythm-team/rhythm/playbook"

// sessionScheduler returns what places the live sessions of playbook runs:
// the schedule package's fair slot finder.
func sessionScheduler() playbook.Scheduler { return playbook.FairScheduler{} }
