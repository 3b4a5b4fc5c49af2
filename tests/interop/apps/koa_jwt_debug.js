// koa-jwt with `debug: true`, the setting its README gives for seeing why a token was refused.
'use strict';
process.env.KOA_JWT_DEBUG = '1';
require('./koa_jwt.js');
