const { App } = require("@slack/bolt");

const app = new App({
  token: "{{key:slack-bot-token}}",
  appToken: "{{key:slack-app-token}}",
  socketMode: true,
});
