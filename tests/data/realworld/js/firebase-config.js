// Firebase web config (the API key identifies the project; restrict it in the console)
const firebaseConfig = {
  apiKey: "{{key:google-api-key}}",
  authDomain: "example-app.firebaseapp.com",
  projectId: "example-app",
  storageBucket: "example-app.appspot.com",
  messagingSenderId: "{{digit:12}}",
  appId: "1:{{digit:12}}:web:{{hex:22}}",
};
export default firebaseConfig;
