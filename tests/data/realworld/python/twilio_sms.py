from twilio.rest import Client

account_sid = "AC{{hex:32}}"
auth_token = "{{key:twilio-auth-token}}"
client = Client(account_sid, auth_token)

message = client.messages.create(body="Your code is 123456", from_="+15017122661", to="+15558675310")
print(message.sid)
