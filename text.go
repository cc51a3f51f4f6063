package rhythm

import "strings"

// CheckText returns an EINVALID error naming field when s holds a NUL
// byte, which PostgreSQL cannot store and no person types; otherwise nil.
// Every input a person or file gives is checked with it, on both
// databases alike.
func CheckText(field, s string) error {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return Errorf(EINVALID, "%s: holds a NUL byte at offset %d", field, i)
	}
	return nil
}
