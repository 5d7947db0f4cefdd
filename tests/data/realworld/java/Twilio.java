package com.example.sms;

import com.twilio.Twilio;

public class Sms {
    public static final String ACCOUNT_SID = "AC{{hex:32}}";
    public static final String AUTH_TOKEN = "{{key:twilio-auth-token}}";

    public static void init() {
        Twilio.init(ACCOUNT_SID, AUTH_TOKEN);
    }
}
