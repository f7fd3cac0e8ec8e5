#!/usr/bin/env node
'use strict';
// Printed by `npm test`: the kernel lane needs QEMU and a guest kernel, so it runs on request.
process.stdout.write('kernel lane not run (it boots Linux 6.12 and 6.1 guests under QEMU, about 50 s warm, 100 s cold): run `npm run test:kernel`\n');
