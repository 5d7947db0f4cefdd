const stripe = require("stripe")("{{key:stripe-restricted-key}}");

app.post("/checkout", async (req, res) => {
  const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: req.body.items });
  res.json({ url: session.url });
});
