#!/usr/bin/env node
import { runFromProcess } from '../runFromProcess';

void runFromProcess();
