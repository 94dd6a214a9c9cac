// RUN: qopt-opt %s --allow-unregistered-dialect | FileCheck %s
// RUN: qopt-opt %s --allow-unregistered-dialect | qopt-opt --allow-unregistered-dialect | FileCheck %s
// RUN: qopt-opt %s --allow-unregistered-dialect --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

!qa = !quant.uniform<i8:f32, 0.0123456789:-3>
#pair = [1, 2]

// CHECK-LABEL: func.func private @decl(tensor<?x8xf32>, i32) -> (tensor<*xf16>, index)
func.func private @decl(tensor<?x8xf32>, i32) -> (tensor<*xf16>, index)

// CHECK-LABEL: func.func @quant_types
// CHECK-SAME: (%arg0: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.0123456789:-3>>
func.func @quant_types(%arg0: tensor<4xf32>) -> tensor<4x!qa> {
  // CHECK: "quant.qcast"(%arg0) : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.0123456789:-3>>
  %0 = "quant.qcast"(%arg0) : (tensor<4xf32>) -> tensor<4x!qa>
  // CHECK: tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-01,2.000000e-01}>>
  %1 = "t.w"() : () -> tensor<2x3x!quant.uniform<i8<-127:127>:f32:0, {0.1:0, 0.2}>>
  // CHECK: tensor<4x!quant.uniform<u8:f32, 5.000000e-01:128>>
  %2 = "t.u"() : () -> tensor<4x!quant.uniform<u8:f32, 0.5:128>>
  return %0 : tensor<4x!qa>
}

// CHECK-LABEL: func.func @attributes
func.func @attributes() {
  // CHECK: "t.a"() {a = 1 : i64, b = 1.000000e-01 : f32, c = true, d, e = "s\22q", f = [1, 2], g = array<i32: 1, 2>, h = @sym::@nested, i = f16, j = 0x7FC00000 : f32, k = dense<[1, -1]> : tensor<2xi8>, l = dense<2.000000e+00> : tensor<2x2xf32>, m = {n = 1 : i8}}
  "t.a"() {a = 1, b = 0.1 : f32, c = true, d, e = "s\"q", f = #pair, g = array<i32: 1, 2>, h = @sym::@nested, i = f16, j = 0x7FC00000 : f32, k = dense<[1, 255]> : tensor<2xi8>, l = dense<2.0> : tensor<2x2xf32>, m = {n = 1 : i8}} : () -> ()
  // Over 100 elements print as hex, as mlir-opt does.
  // CHECK: dense<"0x{{[0-9A-F]+}}"> : tensor<101xi8>
  "t.b"() {big = dense<"0x000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F6061626364"> : tensor<101xi8>} : () -> ()
  return
}

// GENERIC: "builtin.module"() ({
// GENERIC: "func.func"() <{function_type = (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 0.0123456789:-3>>, sym_name = "quant_types"}> ({
// GENERIC-NEXT: ^bb0(%arg0: tensor<4xf32>):
// GENERIC: "func.return"(%0) : (tensor<4x!quant.uniform<i8:f32, 0.0123456789:-3>>) -> ()
