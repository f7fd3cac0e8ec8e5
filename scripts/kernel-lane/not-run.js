#!/usr/bin/env node
'use strict';
// Printed by `npm test`: the kernel lane needs QEMU and a guest kernel, so it runs on request.
process.stdout.write('kernel lane not run (it boots a Linux 6.12 guest under QEMU, about 25 s warm, 50 s cold): run `npm run test:kernel`\n');
