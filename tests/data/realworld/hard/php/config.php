<?php
return [
    'mistral' => [
        'api_key' => '{{key:mistral-api-key}}',
        'model' => 'mistral-large-latest',
    ],
];
