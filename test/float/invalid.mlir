// RUN: qopt-opt %s --split-input-file --verify-diagnostics
// One case per float-dialect verifier error (operand shapes, attribute values, inferred result types).

// Unknown padding string.
func.func @unknown_padding_string(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{padding must be "same", "valid" or [top, left, bottom, right], found "bogus"}}
  %0 = "float.conv2d"(%x, %w) {padding = "bogus"} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Explicit padding needs four values.
func.func @explicit_padding_needs_four_values(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'padding' must have 4 values, got [1, 1]}}
  %0 = "float.conv2d"(%x, %w) {padding = [1, 1]} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Negative explicit padding.
func.func @negative_explicit_padding(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'padding' values must be integers ≥ 0, got [1, -1, 1, 1]}}
  %0 = "float.conv2d"(%x, %w) {padding = [1, -1, 1, 1]} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Padding of another kind.
func.func @padding_of_another_kind(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{padding must be "same", "valid" or [top, left, bottom, right], found 1}}
  %0 = "float.conv2d"(%x, %w) {padding = 1 : i64} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Strides need two values.
func.func @strides_need_two_values(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'strides' must have 2 values, got [2]}}
  %0 = "float.conv2d"(%x, %w) {strides = [2]} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Zero stride.
func.func @zero_stride(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'strides' values must be integers ≥ 1, got [0, 1]}}
  %0 = "float.conv2d"(%x, %w) {strides = [0, 1]} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Zero dilation.
func.func @zero_dilation(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{'dilations' values must be integers ≥ 1, got [1, 0]}}
  %0 = "float.conv2d"(%x, %w) {dilations = [1, 0]} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Strides of the wrong attribute kind.
func.func @strides_of_the_wrong_attribute_kind(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{attribute 'strides' must be an array of integers}}
  %0 = "float.conv2d"(%x, %w) {strides = "2"} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Window larger than the padded input.
func.func @window_larger_than_the_padded_input(%x: tensor<1x2x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{window 3x3 (dilations [1, 1]) does not fit input tensor<1x2x8x3xf32> with this padding: output would be 0x6}}
  %0 = "float.conv2d"(%x, %w) : (tensor<1x2x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x1x6x4xf32>
  return
}

// -----

// Wrong result type.
func.func @wrong_result_type(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{result #0 has type tensor<1x8x8x4xf32> but the op infers tensor<1x4x4x4xf32>}}
  %0 = "float.conv2d"(%x, %w) {padding = "same", strides = [2, 2]} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

// Dynamic batch must stay dynamic.
func.func @dynamic_batch_must_stay_dynamic(%x: tensor<?x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{result #0 has type tensor<1x6x6x4xf32> but the op infers tensor<?x6x6x4xf32>}}
  %0 = "float.conv2d"(%x, %w) : (tensor<?x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Input must be NHWC.
func.func @input_must_be_nhwc(%x: tensor<8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{input must be a rank-4 NHWC tensor, got tensor<8x8x3xf32>}}
  %0 = "float.conv2d"(%x, %w) : (tensor<8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Filter must be OHWI.
func.func @filter_must_be_ohwi(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3xf32>) {
  // expected-error@+1 {{filter must be a rank-4 OHWI tensor, got tensor<3x3x3xf32>}}
  %0 = "float.conv2d"(%x, %w) : (tensor<1x8x8x3xf32>, tensor<3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Filter element type differs.
func.func @filter_element_type_differs(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf16>) {
  // expected-error@+1 {{operand 'filter' has element type f16, but 'input' has f32}}
  %0 = "float.conv2d"(%x, %w) : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf16>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Integer operands are not float tensors.
func.func @integer_operands_are_not_float_tensors(%x: tensor<1x8x8x3xi8>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{operand #0 ('input') must be a tensor of f16 or f32 values, but got 'tensor<1x8x8x3xi8>'}}
  %0 = "float.conv2d"(%x, %w) : (tensor<1x8x8x3xi8>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Filter input channels differ from the input.
func.func @filter_input_channels_differ_from_the_input(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x2xf32>) {
  // expected-error@+1 {{filter tensor<4x3x3x2xf32> (OHWI) has 2 input channels per group, but the input has 3 channels in 1 group (expected 3)}}
  %0 = "float.conv2d"(%x, %w) : (tensor<1x8x8x3xf32>, tensor<4x3x3x2xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Groups must be positive.
func.func @groups_must_be_positive(%x: tensor<1x8x8x4xf32>, %w: tensor<4x3x3x4xf32>) {
  // expected-error@+1 {{groups must be a positive integer, got 0}}
  %0 = "float.conv2d"(%x, %w) {groups = 0 : i64} : (tensor<1x8x8x4xf32>, tensor<4x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Groups must divide the input channels.
func.func @groups_must_divide_the_input_channels(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x1xf32>) {
  // expected-error@+1 {{groups = 2 must divide the input channels 3}}
  %0 = "float.conv2d"(%x, %w) {groups = 2 : i64} : (tensor<1x8x8x3xf32>, tensor<4x3x3x1xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Groups must divide the output channels.
func.func @groups_must_divide_the_output_channels(%x: tensor<1x8x8x4xf32>, %w: tensor<5x3x3x2xf32>) {
  // expected-error@+1 {{groups = 2 must divide the output channels 5 (filter dim 0)}}
  %0 = "float.conv2d"(%x, %w) {groups = 2 : i64} : (tensor<1x8x8x4xf32>, tensor<5x3x3x2xf32>) -> tensor<1x6x6x5xf32>
  return
}

// -----

// Bias must be rank 1.
func.func @bias_must_be_rank_1(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error@+1 {{bias must be a rank-1 [output channels] tensor, got tensor<1x4xf32>}}
  %0 = "float.conv2d"(%x, %w, %b) : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<1x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Bias needs one element per output channel.
func.func @bias_needs_one_element_per_output_channel(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{bias tensor<3xf32> must have 4 elements, one per output channel}}
  %0 = "float.conv2d"(%x, %w, %b) : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Too many operands.
func.func @too_many_operands(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{expected 2 to 3 operands, but found 4}}
  %0 = "float.conv2d"(%x, %w, %b, %b) : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Unknown fused activation.
func.func @unknown_fused_activation(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{attribute 'act' must be one of "none", "relu", "relu6", "clamp", found "gelu"}}
  %0 = "float.conv2d"(%x, %w) {act = "gelu"} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Fused clamp bounds out of order.
func.func @fused_clamp_bounds_out_of_order(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{fused clamp needs act_min ≤ act_max, got act_min = 1, act_max = -1}}
  %0 = "float.conv2d"(%x, %w) {act = "clamp", act_max = -1.0, act_min = 1.0} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

// Depthwise filter dim 0 must be 1.
func.func @depthwise_filter_dim_0_must_be_1(%x: tensor<1x8x8x3xf32>, %w: tensor<2x3x3x3xf32>) {
  // expected-error@+1 {{filter tensor<2x3x3x3xf32> must have shape [1, KH, KW, C·M] (dim 0 is 2)}}
  %0 = "float.depthwise_conv2d"(%x, %w) : (tensor<1x8x8x3xf32>, tensor<2x3x3x3xf32>) -> tensor<1x6x6x3xf32>
  return
}

// -----

// Depthwise filter rank.
func.func @depthwise_filter_rank(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3xf32>) {
  // expected-error@+1 {{filter must be a rank-4 [1, KH, KW, C·M] tensor, got tensor<3x3x3xf32>}}
  %0 = "float.depthwise_conv2d"(%x, %w) : (tensor<1x8x8x3xf32>, tensor<3x3x3xf32>) -> tensor<1x6x6x3xf32>
  return
}

// -----

// Depthwise channels must be C times the multiplier.
func.func @depthwise_channels_must_be_c_times_the_multiplier(%x: tensor<1x8x8x3xf32>, %w: tensor<1x3x3x6xf32>) {
  // expected-error@+1 {{filter tensor<1x3x3x6xf32> has 6 output channels, but the input has 3 channels × depth_multiplier 1 = 3}}
  %0 = "float.depthwise_conv2d"(%x, %w) : (tensor<1x8x8x3xf32>, tensor<1x3x3x6xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

// Depthwise multiplier must divide the channels when C is dynamic.
func.func @depthwise_multiplier_must_divide_the_channels_when_c_is_dynamic(%x: tensor<1x8x8x?xf32>, %w: tensor<1x3x3x6xf32>) {
  // expected-error@+1 {{filter output channels 6 are not a multiple of depth_multiplier 4}}
  %0 = "float.depthwise_conv2d"(%x, %w) {depth_multiplier = 4 : i64} : (tensor<1x8x8x?xf32>, tensor<1x3x3x6xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

// Depth multiplier must be positive.
func.func @depth_multiplier_must_be_positive(%x: tensor<1x8x8x3xf32>, %w: tensor<1x3x3x3xf32>) {
  // expected-error@+1 {{depth_multiplier must be a positive integer, got 0}}
  %0 = "float.depthwise_conv2d"(%x, %w) {depth_multiplier = 0 : i64} : (tensor<1x8x8x3xf32>, tensor<1x3x3x3xf32>) -> tensor<1x6x6x3xf32>
  return
}

// -----

// Depthwise bias size.
func.func @depthwise_bias_size(%x: tensor<1x8x8x3xf32>, %w: tensor<1x3x3x6xf32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{bias tensor<3xf32> must have 6 elements, one per output channel}}
  %0 = "float.depthwise_conv2d"(%x, %w, %b) {depth_multiplier = 2 : i64} : (tensor<1x8x8x3xf32>, tensor<1x3x3x6xf32>, tensor<3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

// Fully_connected weights must be [N, K].
func.func @fully_connected_weights_must_be_n_k(%x: tensor<2x4xf32>, %w: tensor<3x4x1xf32>) {
  // expected-error@+1 {{weights must be a rank-2 [N, K] tensor, got tensor<3x4x1xf32>}}
  %0 = "float.fully_connected"(%x, %w) : (tensor<2x4xf32>, tensor<3x4x1xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Fully_connected input must end in K.
func.func @fully_connected_input_must_end_in_k(%x: tensor<2x5xf32>, %w: tensor<3x4xf32>) {
  // expected-error@+1 {{input tensor<2x5xf32> must end in K = 4 (weights tensor<3x4xf32> are [N, K])}}
  %0 = "float.fully_connected"(%x, %w) : (tensor<2x5xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Fully_connected input needs rank 1 or more.
func.func @fully_connected_input_needs_rank_1_or_more(%x: tensor<f32>, %w: tensor<3x4xf32>) {
  // expected-error@+1 {{input must have rank ≥ 1 ([..., K]), got tensor<f32>}}
  %0 = "float.fully_connected"(%x, %w) : (tensor<f32>, tensor<3x4xf32>) -> tensor<3xf32>
  return
}

// -----

// Fully_connected bias rank.
func.func @fully_connected_bias_rank(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<1x3xf32>) {
  // expected-error@+1 {{bias must be a rank-1 [N] tensor, got tensor<1x3xf32>}}
  %0 = "float.fully_connected"(%x, %w, %b) : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Fully_connected bias size.
func.func @fully_connected_bias_size(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{bias tensor<4xf32> must have N = 3 elements (weights tensor<3x4xf32>)}}
  %0 = "float.fully_connected"(%x, %w, %b) : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Fully_connected element types.
func.func @fully_connected_element_types(%x: tensor<2x4xf32>, %w: tensor<3x4xf16>) {
  // expected-error@+1 {{operand 'weights' has element type f16, but 'input' has f32}}
  %0 = "float.fully_connected"(%x, %w) : (tensor<2x4xf32>, tensor<3x4xf16>) -> tensor<2x3xf32>
  return
}

// -----

// Matmul contraction dims.
func.func @matmul_contraction_dims(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error@+1 {{contraction dims differ: a tensor<2x3xf32> gives K = 3, b tensor<4x5xf32> gives K = 4}}
  %0 = "float.matmul"(%a, %b) : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Matmul batch dims must broadcast.
func.func @matmul_batch_dims_must_broadcast(%a: tensor<2x2x3xf32>, %b: tensor<3x3x5xf32>) {
  // expected-error@+1 {{batch dims: operands of shapes [2] and [3] do not broadcast}}
  %0 = "float.matmul"(%a, %b) : (tensor<2x2x3xf32>, tensor<3x3x5xf32>) -> tensor<2x2x5xf32>
  return
}

// -----

// Matmul operands need rank 1 or more.
func.func @matmul_operands_need_rank_1_or_more(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error@+1 {{operands must have rank ≥ 1, got tensor<f32> and tensor<3xf32>}}
  %0 = "float.matmul"(%a, %b) : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

// Matmul element types.
func.func @matmul_element_types(%a: tensor<2x3xf16>, %b: tensor<3x5xf32>) {
  // expected-error@+1 {{operand 'b' has element type f32, but 'a' has f16}}
  %0 = "float.matmul"(%a, %b) : (tensor<2x3xf16>, tensor<3x5xf32>) -> tensor<2x5xf16>
  return
}

// -----

// Matmul transpose flag must be a bool.
func.func @matmul_transpose_flag_must_be_a_bool(%a: tensor<2x3xf32>, %b: tensor<5x3xf32>) {
  // expected-error@+1 {{attribute 'transpose_b' must be a bool attribute (true/false)}}
  %0 = "float.matmul"(%a, %b) {transpose_b = 1 : i64} : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Clamp needs min <= max.
func.func @clamp_needs_min_max(%x: tensor<4xf32>) {
  // expected-error@+1 {{requires min ≤ max, got min = 1, max = 0}}
  %0 = "float.clamp"(%x) {max = 0.0, min = 1.0} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Clamp needs its bounds.
func.func @clamp_needs_its_bounds(%x: tensor<4xf32>) {
  // expected-error@+1 {{requires attribute 'max'}}
  %0 = "float.clamp"(%x) {min = 0.0} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Leaky_relu alpha must be finite.
func.func @leaky_relu_alpha_must_be_finite(%x: tensor<4xf32>) {
  // expected-error@+1 {{alpha must be finite, got Infinity}}
  %0 = "float.leaky_relu"(%x) {alpha = 0x7FF0000000000000 : f64} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Unary result keeps the operand type.
func.func @unary_result_keeps_the_operand_type(%x: tensor<4xf32>) {
  // expected-error@+1 {{result #0 has type tensor<2x2xf32> but the op infers tensor<4xf32>}}
  %0 = "float.relu"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Softmax axis out of range.
func.func @softmax_axis_out_of_range(%x: tensor<2x4xf32>) {
  // expected-error@+1 {{axis 2 is out of range for rank 2 (expected -2 to 1)}}
  %0 = "float.softmax"(%x) {axis = 2 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Pool input must be NHWC.
func.func @pool_input_must_be_nhwc(%x: tensor<8x8x3xf32>) {
  // expected-error@+1 {{input must be a rank-4 NHWC tensor, got tensor<8x8x3xf32>}}
  %0 = "float.max_pool2d"(%x) {kernel = [2, 2]} : (tensor<8x8x3xf32>) -> tensor<7x7x3xf32>
  return
}

// -----

// Pool needs a kernel.
func.func @pool_needs_a_kernel(%x: tensor<1x8x8x3xf32>) {
  // expected-error@+1 {{requires attribute 'kernel'}}
  %0 = "float.max_pool2d"(%x) : (tensor<1x8x8x3xf32>) -> tensor<1x8x8x3xf32>
  return
}

// -----

// Pool kernel needs two values.
func.func @pool_kernel_needs_two_values(%x: tensor<1x8x8x3xf32>) {
  // expected-error@+1 {{'kernel' must have 2 values, got [2, 2, 2]}}
  %0 = "float.avg_pool2d"(%x) {kernel = [2, 2, 2]} : (tensor<1x8x8x3xf32>) -> tensor<1x7x7x3xf32>
  return
}

// -----

// Pool kernel must be positive.
func.func @pool_kernel_must_be_positive(%x: tensor<1x8x8x3xf32>) {
  // expected-error@+1 {{'kernel' values must be integers ≥ 1, got [0, 2]}}
  %0 = "float.avg_pool2d"(%x) {kernel = [0, 2]} : (tensor<1x8x8x3xf32>) -> tensor<1x7x7x3xf32>
  return
}

// -----

// Pool padding string.
func.func @pool_padding_string(%x: tensor<1x8x8x3xf32>) {
  // expected-error@+1 {{padding must be "same", "valid" or [top, left, bottom, right], found "SAME"}}
  %0 = "float.max_pool2d"(%x) {kernel = [2, 2], padding = "SAME"} : (tensor<1x8x8x3xf32>) -> tensor<1x8x8x3xf32>
  return
}

// -----

// Pool window larger than the input.
func.func @pool_window_larger_than_the_input(%x: tensor<1x2x2x3xf32>) {
  // expected-error@+1 {{window 3x3 (dilations [1, 1]) does not fit input tensor<1x2x2x3xf32> with this padding: output would be 0x0}}
  %0 = "float.max_pool2d"(%x) {kernel = [3, 3]} : (tensor<1x2x2x3xf32>) -> tensor<1x1x1x3xf32>
  return
}

// -----

// Pool result shape.
func.func @pool_result_shape(%x: tensor<1x8x8x3xf32>) {
  // expected-error@+1 {{result #0 has type tensor<1x7x7x3xf32> but the op infers tensor<1x4x4x3xf32>}}
  %0 = "float.avg_pool2d"(%x) {kernel = [2, 2], strides = [2, 2]} : (tensor<1x8x8x3xf32>) -> tensor<1x7x7x3xf32>
  return
}

// -----

// Mean axis out of range.
func.func @mean_axis_out_of_range(%x: tensor<1x8x8x3xf32>) {
  // expected-error@+1 {{mean axis 4 is out of range for rank 4 (expected -4 to 3)}}
  %0 = "float.mean"(%x) {axes = [1, 4]} : (tensor<1x8x8x3xf32>) -> tensor<1x1x1x3xf32>
  return
}

// -----

// Mean axis listed twice.
func.func @mean_axis_listed_twice(%x: tensor<1x8x8x3xf32>) {
  // expected-error@+1 {{axis -3 is listed twice in axes [1, -3]}}
  %0 = "float.mean"(%x) {axes = [1, -3]} : (tensor<1x8x8x3xf32>) -> tensor<1x1x8x3xf32>
  return
}

// -----

// Mean without keepdims drops the axes.
func.func @mean_without_keepdims_drops_the_axes(%x: tensor<1x8x8x3xf32>) {
  // expected-error@+1 {{result #0 has type tensor<1x1x1x3xf32> but the op infers tensor<1x3xf32>}}
  %0 = "float.mean"(%x) {axes = [1, 2], keepdims = false} : (tensor<1x8x8x3xf32>) -> tensor<1x1x1x3xf32>
  return
}

// -----

// Reshape with two -1 dims.
func.func @reshape_with_two_1_dims(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{shape [?, ?] may have at most one -1 dim, got 2}}
  %0 = "float.reshape"(%x) {shape = [-1, -1]} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return
}

// -----

// Reshape dims below -1.
func.func @reshape_dims_below_1(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{'shape' values must be integers ≥ -1, got [-2, 12]}}
  %0 = "float.reshape"(%x) {shape = [-2, 12]} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return
}

// -----

// Reshape -1 that does not divide.
func.func @reshape_1_that_does_not_divide(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{cannot infer the -1 in shape [5, ?] for tensor<2x3x4xf32> (24 elements)}}
  %0 = "float.reshape"(%x) {shape = [5, -1]} : (tensor<2x3x4xf32>) -> tensor<5x5xf32>
  return
}

// -----

// Reshape shape attribute with another element count.
func.func @reshape_shape_attribute_with_another_element_count(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{cannot reshape tensor<2x3x4xf32> (24 elements) to [5, 5] (25 elements)}}
  %0 = "float.reshape"(%x) {shape = [5, 5]} : (tensor<2x3x4xf32>) -> tensor<5x5xf32>
  return
}

// -----

// Reshape result disagrees with the shape attribute.
func.func @reshape_result_disagrees_with_the_shape_attribute(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{result #0 has type tensor<6x4xf32> but the op infers tensor<4x6xf32>}}
  %0 = "float.reshape"(%x) {shape = [4, -1]} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return
}

// -----

// Reshape result with another element count.
func.func @reshape_result_with_another_element_count(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{cannot reshape tensor<2x3x4xf32> (24 elements) to tensor<5x5xf32> (25 elements)}}
  %0 = "float.reshape"(%x) : (tensor<2x3x4xf32>) -> tensor<5x5xf32>
  return
}

// -----

// Reshape dynamic result dim that cannot fit.
func.func @reshape_dynamic_result_dim_that_cannot_fit(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{cannot reshape tensor<2x3x4xf32> (24 elements) to tensor<?x5xf32>}}
  %0 = "float.reshape"(%x) : (tensor<2x3x4xf32>) -> tensor<?x5xf32>
  return
}

// -----

// Reshape result with two dynamic dims needs a shape.
func.func @reshape_result_with_two_dynamic_dims_needs_a_shape(%x: tensor<?x12xf32>) {
  // expected-error@+1 {{result tensor<?x?xf32> has more than one dynamic dim; give a 'shape' attribute}}
  %0 = "float.reshape"(%x) : (tensor<?x12xf32>) -> tensor<?x?xf32>
  return
}

// -----

// Reshape unranked result needs a shape.
func.func @reshape_unranked_result_needs_a_shape(%x: tensor<2x12xf32>) {
  // expected-error@+1 {{result must be a ranked tensor (or give a 'shape' attribute), got tensor<*xf32>}}
  %0 = "float.reshape"(%x) : (tensor<2x12xf32>) -> tensor<*xf32>
  return
}

// -----

// Flatten axis out of range.
func.func @flatten_axis_out_of_range(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{axis 4 is out of range for rank 3 (expected -3 to 3)}}
  %0 = "float.flatten"(%x) {axis = 4 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  return
}

// -----

// Flatten result shape.
func.func @flatten_result_shape(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{result #0 has type tensor<6x4xf32> but the op infers tensor<2x12xf32>}}
  %0 = "float.flatten"(%x) : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return
}

// -----

// Transpose perm repeats a dim.
func.func @transpose_perm_repeats_a_dim(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{perm [0, 2, 2] is not a permutation of 0..2 (input tensor<2x3x4xf32>)}}
  %0 = "float.transpose"(%x) {perm = [0, 2, 2]} : (tensor<2x3x4xf32>) -> tensor<2x4x4xf32>
  return
}

// -----

// Transpose perm of another rank.
func.func @transpose_perm_of_another_rank(%x: tensor<2x3x4xf32>) {
  // expected-error@+1 {{perm [1, 0] is not a permutation of 0..2 (input tensor<2x3x4xf32>)}}
  %0 = "float.transpose"(%x) {perm = [1, 0]} : (tensor<2x3x4xf32>) -> tensor<3x2xf32>
  return
}

// -----

// Transpose needs perm.
func.func @transpose_needs_perm(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{requires attribute 'perm'}}
  %0 = "float.transpose"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

// Concat needs an operand.
func.func @concat_needs_an_operand() {
  // expected-error@+1 {{requires at least one operand}}
  %0 = "float.concat"() {axis = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

// Concat axis out of range.
func.func @concat_axis_out_of_range(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error@+1 {{axis -3 is out of range for rank 2 (expected -2 to 1)}}
  %0 = "float.concat"(%a, %b) {axis = -3 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Concat operands of different rank.
func.func @concat_operands_of_different_rank(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) {
  // expected-error@+1 {{operand #1 tensor<2x3x1xf32> has rank 3, but operand tensor<2x3xf32> has rank 2}}
  %0 = "float.concat"(%a, %b) {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Concat operands differ off the axis.
func.func @concat_operands_differ_off_the_axis(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error@+1 {{operand #1 tensor<2x4xf32> differs from the others in dim 1 (4 vs 3); only axis 0 may differ}}
  %0 = "float.concat"(%a, %b) {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Concat element types.
func.func @concat_element_types(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) {
  // expected-error@+1 {{operand '#1' has element type f16, but '#0' has f32}}
  %0 = "float.concat"(%a, %b) {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<4x3xf32>
  return
}

// -----

// Concat result shape.
func.func @concat_result_shape(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error@+1 {{result #0 has type tensor<4x3xf32> but the op infers tensor<2x6xf32>}}
  %0 = "float.concat"(%a, %b) {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Pad needs an even number of pads.
func.func @pad_needs_an_even_number_of_pads(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{pads must have 2·rank values [begins…, ends…], got 3}}
  %0 = "float.pad"(%x) {pads = [1, 1, 1]} : (tensor<2x3xf32>) -> tensor<4x5xf32>
  return
}

// -----

// Pad needs 2 rank pads.
func.func @pad_needs_2_rank_pads(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{pads must have 2·rank = 4 values [begins…, ends…] for tensor<2x3xf32>, got 2}}
  %0 = "float.pad"(%x) {pads = [1, 1]} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Pad cannot crop below zero.
func.func @pad_cannot_crop_below_zero(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{pads [-2, -2] crop dim 1 of tensor<2x3xf32> below zero}}
  %0 = "float.pad"(%x) {pads = [0, -2, 0, -2]} : (tensor<2x3xf32>) -> tensor<2x0xf32>
  return
}

// -----

// Reflect pads must be smaller than the dim.
func.func @reflect_pads_must_be_smaller_than_the_dim(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{reflect pads [3, 0] for dim 1 of tensor<2x3xf32> must be smaller than its size 3}}
  %0 = "float.pad"(%x) {mode = "reflect", pads = [0, 3, 0, 0]} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

// Unknown pad mode.
func.func @unknown_pad_mode(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{attribute 'mode' must be one of "constant", "reflect", "edge", found "wrap"}}
  %0 = "float.pad"(%x) {mode = "wrap", pads = [0, 1, 0, 1]} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Pad value must be a number.
func.func @pad_value_must_be_a_number(%x: tensor<2x3xf32>) {
  // expected-error@+1 {{attribute 'value' must be a number}}
  %0 = "float.pad"(%x) {pads = [0, 1, 0, 1], value = "zero"} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Slice lists of different lengths.
func.func @slice_lists_of_different_lengths(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{starts, ends, axes and steps must have the same length, got 2, 1, 2, 2}}
  %0 = "float.slice"(%x) {ends = [3], starts = [1, 1]} : (tensor<4x5xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Slice axis out of range.
func.func @slice_axis_out_of_range(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{slice axis 2 is out of range for rank 2 (expected -2 to 1)}}
  %0 = "float.slice"(%x) {axes = [2], ends = [3], starts = [1]} : (tensor<4x5xf32>) -> tensor<4x2xf32>
  return
}

// -----

// Slice axis listed twice.
func.func @slice_axis_listed_twice(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{axis -1 is listed twice in axes [1, -1]}}
  %0 = "float.slice"(%x) {axes = [1, -1], ends = [3, 3], starts = [1, 1]} : (tensor<4x5xf32>) -> tensor<4x2xf32>
  return
}

// -----

// Slice step zero.
func.func @slice_step_zero(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{steps must be non-zero, got [0]}}
  %0 = "float.slice"(%x) {ends = [3], starts = [1], steps = [0]} : (tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Slice result shape.
func.func @slice_result_shape(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{result #0 has type tensor<3x5xf32> but the op infers tensor<2x5xf32>}}
  %0 = "float.slice"(%x) {ends = [3], starts = [1]} : (tensor<4x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

// Batch_norm parameters need one element per channel.
func.func @batch_norm_parameters_need_one_element_per_channel(%x: tensor<1x4x4x3xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<4xf32>, %v: tensor<3xf32>) {
  // expected-error@+1 {{mean tensor<4xf32> must have one element per channel of the last axis (3) of tensor<1x4x4x3xf32>}}
  %0 = "float.batch_norm"(%x, %s, %b, %m, %v) : (tensor<1x4x4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
  return
}

// -----

// Batch_norm parameters are rank 1.
func.func @batch_norm_parameters_are_rank_1(%x: tensor<1x4x4x3xf32>, %s: tensor<1x3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) {
  // expected-error@+1 {{scale must be a rank-1 [C] tensor, got tensor<1x3xf32>}}
  %0 = "float.batch_norm"(%x, %s, %b, %m, %v) : (tensor<1x4x4x3xf32>, tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x4x3xf32>
  return
}

// -----

// Batch_norm input needs a channel axis.
func.func @batch_norm_input_needs_a_channel_axis(%x: tensor<f32>, %s: tensor<1xf32>, %b: tensor<1xf32>, %m: tensor<1xf32>, %v: tensor<1xf32>) {
  // expected-error@+1 {{input must have a channel axis (rank ≥ 1), got tensor<f32>}}
  %0 = "float.batch_norm"(%x, %s, %b, %m, %v) : (tensor<f32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<f32>
  return
}

// -----

// Batch_norm epsilon must be non-negative.
func.func @batch_norm_epsilon_must_be_non_negative(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) {
  // expected-error@+1 {{epsilon must be ≥ 0, got -0.00001}}
  %0 = "float.batch_norm"(%x, %s, %b, %m, %v) {epsilon = -1.0e-05} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Batch_norm element types.
func.func @batch_norm_element_types(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf16>) {
  // expected-error@+1 {{operand 'var' has element type f16, but 'input' has f32}}
  %0 = "float.batch_norm"(%x, %s, %b, %m, %v) : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return
}

// -----

// Batch_norm needs five operands.
func.func @batch_norm_needs_five_operands(%x: tensor<2x3xf32>, %s: tensor<3xf32>) {
  // expected-error@+1 {{expected 5 operands, but found 2}}
  %0 = "float.batch_norm"(%x, %s) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Explicit padding must be integers.
func.func @explicit_padding_must_be_integers(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{padding must be "same", "valid" or [top, left, bottom, right], found [1.000000e+00, 1, 1, 1]}}
  %0 = "float.conv2d"(%x, %w) {padding = [1.0, 1, 1, 1]} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x8x8x4xf32>
  return
}
