from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Mail

message = Mail(from_email="noreply@example.com", to_emails="user@example.com", subject="Hi", html_content="<p>Hi</p>")
sg = SendGridAPIClient("{{key:sendgrid-api-key}}")
sg.send(message)
