package main

import "errors"

// ObjectionCmd is a placeholder until its issue lands.
type ObjectionCmd struct{}

// Run is a placeholder.
func (c *ObjectionCmd) Run() error { return errors.New("not built yet") }
