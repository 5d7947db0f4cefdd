import stripe

stripe.api_key = "{{key:stripe-secret-key}}"

customer = stripe.Customer.create(email="jenny.rosen@example.com")
