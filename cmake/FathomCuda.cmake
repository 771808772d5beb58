# CUDA is enabled when nvcc exists (FATHOM_NVCC, /usr/local/cuda by default).
# Sets FATHOM_WITH_CUDA; kernels target Hopper (sm_90a) unless
# CMAKE_CUDA_ARCHITECTURES says otherwise. Tests of CUDA code skip without a GPU.

set(FATHOM_WITH_CUDA OFF)
if(CMAKE_CUDA_COMPILER)
  if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
    set(CMAKE_CUDA_ARCHITECTURES 90a)
  endif()
  enable_language(CUDA)
  # CMake before 3.26 does not know nvcc's C++20 flag; nvcc 12 and later accept it.
  if(NOT CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
    set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
    set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
  endif()
  set(CMAKE_CUDA_STANDARD 20)
  set(CMAKE_CUDA_STANDARD_REQUIRED ON)
  find_package(CUDAToolkit REQUIRED)
  set(FATHOM_WITH_CUDA ON)
  message(STATUS "fathom: CUDA ${CMAKE_CUDA_COMPILER_VERSION}, architectures ${CMAKE_CUDA_ARCHITECTURES}")
else()
  message(STATUS "fathom: nvcc not found at ${FATHOM_NVCC}; building without CUDA")
endif()
