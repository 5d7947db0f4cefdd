# config/initializers/cohere.rb
Cohere.configure do |config|
  config.api_key = "{{key:cohere-api-key}}"
  config.timeout = 30
end
