import twilio from "twilio";

const client = twilio(
  "SK{{hex:32}}",
  "{{alnum:32}}",
  { accountSid: "AC{{hex:32}}" },
);
