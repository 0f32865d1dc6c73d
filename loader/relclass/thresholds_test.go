package relclass

// minDevF1 is the strict relation F1 on CoNLL04 dev below which TestEvalDev fails.
const minDevF1 = 60.0
