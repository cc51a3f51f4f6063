package ical

// Civil (proleptic Gregorian) calendar arithmetic on plain integers. A wall
// clock reading is kept as "wall seconds": seconds since 1970-01-01T00:00:00
// as if the reading were UTC. Day numbers count days since 1970-01-01.

const secondsPerDay = 86400

// daysFromCivil returns the day number of y-m-d (m 1..12).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(int64(y), 400)
	yoe := int64(y) - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	m := a % b
	if m != 0 && ((m < 0) != (b < 0)) {
		m += b
	}
	return m
}

// weekdayOf returns the weekday of day number z, Sunday = 0 as in time.Weekday.
func weekdayOf(z int64) int {
	return int(floorMod(z+4, 7))
}

func isLeap(y int) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

func daysInYear(y int) int {
	if isLeap(y) {
		return 366
	}
	return 365
}

var monthDays = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func daysInMonth(y, m int) int {
	if m == 2 && isLeap(y) {
		return 29
	}
	return monthDays[m]
}

// wallOf returns the wall seconds of a civil date and time.
func wallOf(y, mo, d, h, mi, s int) int64 {
	return daysFromCivil(y, mo, d)*secondsPerDay + int64(h*3600+mi*60+s)
}

// civilOfWall splits wall seconds into date and time of day.
func civilOfWall(w int64) (y, mo, d, h, mi, s int) {
	days := floorDiv(w, secondsPerDay)
	sec := int(w - days*secondsPerDay)
	y, mo, d = civilFromDays(days)
	return y, mo, d, sec / 3600, sec / 60 % 60, sec % 60
}

// Bounds of the wall-second values rhythm accepts: years 0001 to 9999.
var (
	minWall = wallOf(1, 1, 1, 0, 0, 0)
	maxWall = wallOf(9999, 12, 31, 23, 59, 59)
)
