package main

import "errors"

// RetentionCmd is a placeholder until its issue lands.
type RetentionCmd struct{}

// Run is a placeholder.
func (c *RetentionCmd) Run() error { return errors.New("not built yet") }
