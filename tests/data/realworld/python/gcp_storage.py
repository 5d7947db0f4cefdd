import json

from google.cloud import storage
from google.oauth2 import service_account

SA_INFO = json.loads("""{{sa:google-service-account-key}}""")
creds = service_account.Credentials.from_service_account_info(SA_INFO)
client = storage.Client(credentials=creds)
