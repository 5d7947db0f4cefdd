package notify

import "github.com/slack-go/slack"

var api = slack.New("{{key:slack-user-token}}")
