const { CohereClientV2 } = require("cohere-ai");

const cohere = new CohereClientV2({
  token: "{{key:cohere-api-key}}",
});

module.exports = cohere;
