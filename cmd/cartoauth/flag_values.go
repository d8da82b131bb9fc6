package main

import (
	"fmt"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// flowValue parses --flow.
type flowValue struct{ f carto.Flow }

func (v *flowValue) String() string { return string(v.f) }

func (v *flowValue) Set(s string) error {
	switch f := carto.Flow(s); f {
	case carto.FlowCopyCode, carto.FlowLoopback:
		v.f = f
		return nil
	}
	return fmt.Errorf("want %s or %s", carto.FlowCopyCode, carto.FlowLoopback)
}

// positiveDuration parses --timeout.
type positiveDuration struct{ d time.Duration }

func (v *positiveDuration) String() string { return v.d.String() }

func (v *positiveDuration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("want a positive duration such as 90s or 5m")
	}
	v.d = d
	return nil
}
