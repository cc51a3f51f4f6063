// Package schedule finds times for the sync part of a team's work: the
// weekly overlap of working hours (Overlap), a ranking of one-off meeting
// times (Find) and a fair, DST-correct plan for a weekly meeting (Rotate).
// It is pure: it reads team.Team values and returns values.
//
// # Inconvenience
//
// Each participant pays for a meeting in points: the integral over the
// meeting of a rate (points per hour) that depends on where the minute falls
// in the member's own local time, working hours, working days and holidays.
// With the DefaultModel:
//
//   - inside working hours the rate is 0;
//   - after work it starts at Late (2/h) and rises linearly to Night (10/h)
//     over LateWindow (4h): the evening;
//   - before work it falls from Night to Early (1/h) over the EarlyWindow
//     (3h) before the start: the early morning;
//   - the rest of the time between two working days is night, at Night;
//   - a day the member does not work (weekend, holiday, before their start
//     or after their leave date) costs OffDay (8/h), and its night the
//     larger of Night and OffDay.
//
// So the rate grows with the distance from working hours, evenings and
// mornings are weighed differently, and nights and days off heavily. A
// 30-minute meeting right after work costs 1.25 points, one starting two
// hours after work 3.25, one at 3 a.m. 5. Every weight and window is configurable through Model.
// Evening and morning windows belong to the member's own shift, so a night
// shift (22:00-06:00) has its "night" in the daytime. Busy times (intervals
// a member cannot meet, e.g. from an imported calendar) block a slot
// outright, as does the team's no-meeting day in any participant's zone.
//
// # One-off meetings
//
// Find considers every start on the 15-minute grid of the anchor zone in
// the window and ranks them: everyone inside working hours first, then the
// least total inconvenience, then the least largest individual
// inconvenience, then the earliest.
//
// # Weekly meetings
//
// Rotate plans N weekly instances. A slot is a wall-clock time in the anchor
// zone (the first participant's unless given); each instance is that wall
// time in the real local time of its week, so when the US, Europe and the
// southern hemisphere change clocks on different dates every member's local
// time, and its cost, is computed for that week. A slot inside everyone's
// hours every week is taken as it is. Otherwise the plan rotates: instance
// i uses slot i mod L of a cycle of up to three slots (a slot may recur in
// the cycle, giving shares such as 2:1). Of all cycles it takes the one that
// minimises the largest member's accumulated time outside working hours,
// then the Gini index of that time over members, then the total
// inconvenience, then the largest member's inconvenience, then the number
// of slots. Every cycle in the search is scored exactly, week by week.
package schedule
