//go:build !purego

#include "textflag.h"

// func addDense(acc, row []int32)
TEXT ·addDense(SB), NOSPLIT, $0-48
	MOVQ acc_base+0(FP), DI
	MOVQ acc_len+8(FP), CX
	MOVQ row_base+24(FP), SI
	SHRQ $2, CX
	JZ   done

loop:
	MOVOU (DI), X0
	MOVOU (SI), X1
	PADDL X1, X0
	MOVOU X0, (DI)
	ADDQ  $16, DI
	ADDQ  $16, SI
	DECQ  CX
	JNZ   loop

done:
	RET
