// SoftEngineHandle's submit path, the part every operation family shares: queueing a checked
// descriptor with its buffers' pins, the doorbell, and the prototype's method table. Argument
// reading is engine_call.h; the families' methods are engine_submit_copy.cc (memcpy, memset,
// interrupt), engine_submit_xor.cc and engine_submit_pq.cc (P+Q, recoveries, explicit
// coefficients).
#include "addon/engine_call.h"

namespace dmae {
namespace addon {

int EngineWrap::cacheFind(const void* key) const {
  for (int k = 0; k < kRefCache; k++) {
    if (refCache_[k].uses != 0 && refCache_[k].key == key) return k;
  }
  return -1;
}

int32_t EngineWrap::queue(int chan) {
  checkOpen(env_);  // again: an accessor read during the checks may have closed the engine
  uint32_t slot;
  if (!freeSlots_.empty()) {
    slot = freeSlots_.back();
    freeSlots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  std::vector<Held>& held = slots_[slot];
  for (size_t i = 0; i < nkeep_; i++) {
    const void* key = keepKey_[i];
    Pin& pin = keepPin_[i];
    int hit = key ? cacheFind(key) : -1;
    if (hit >= 0) {
      refCache_[hit].uses++;
      held.push_back(Held{Pin(), hit});
      pin.reset();  // taken at check time when an earlier buffer of this call shares it
      continue;
    }
    int unused = -1;
    for (int k = 0; key && k < kRefCache && unused < 0; k++) {
      if (refCache_[k].uses == 0) unused = k;
    }
    if (unused >= 0) {
      refCache_[unused] = CacheEntry{key, std::move(pin), 1};
      held.push_back(Held{Pin(), unused});
    } else {
      held.push_back(Held{std::move(pin), -1});
    }
  }
  nkeep_ = 0;
  spec_.tag = slot;
  return engine_->submit(chan, spec_);
}

// issuePending(channel): the doorbell; returns how many descriptors it issued.
napi_value EngineWrap::Call::issuePending(napi_env env, napi_callback_info cbi) {
  return submit::guarded(env, cbi, [](EngineWrap::Call& c) {
    int chan = static_cast<int>(submit::fastInt(c.env, c.argv[0], "channel", 0, c.w->nchan_ - 1));
    c.w->checkOpen(c.env);
    size_t n = c.w->engine_->issuePending(chan);
    if (n) c.w->holdWhileBusy(c.env, n);
    napi_value out;
    napi_create_uint32(c.env, static_cast<uint32_t>(n), &out);
    return out;
  });
}

void EngineWrap::AddSubmitMethods(Napi::Env env, Napi::Function ctor) {
  using namespace submit;  // NOLINT: the method table below names every family's callback
  Napi::Object proto = ctor.Get("prototype").As<Napi::Object>();
  auto fn = [](const char* name, napi_callback cb) {
    return napi_property_descriptor{name, nullptr, cb, nullptr, nullptr, nullptr,
                                    napi_default_method, nullptr};
  };
  const napi_property_descriptor props[] = {
      fn("memcpy", Memcpy),         fn("memset", Memset),
      fn("xor", Xor),               fn("xorVal", XorVal),
      fn("pq", Pq),                 fn("pqVal", PqVal),
      fn("recov2Data", Recov2Data), fn("recovDataP", RecovDataP),
      fn("interrupt", Interrupt),   fn("issuePending", &EngineWrap::Call::issuePending),
      fn("pqCoef", PqCoef),         fn("pqCoefVal", PqCoefVal),
      fn("xorV", XorV),             fn("xorValV", XorValV),
      fn("pqCoefV", PqCoefV),       fn("pqCoefValV", PqCoefValV),
  };
  NAPI_THROW_IF_FAILED_VOID(env, napi_define_properties(env, proto, sizeof props / sizeof props[0],
                                                        props));
}

}  // namespace addon
}  // namespace dmae
