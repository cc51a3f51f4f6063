//go:build long

package ical

// With -tags long the property test checks 20,000 random rules.
func init() { propertyRules = 20_000 }
