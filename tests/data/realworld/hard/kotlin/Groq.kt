package com.example

const val GROQ_KEY = "{{key:groq-api-key}}"
